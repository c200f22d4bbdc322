//! smets command-line tool.
fn main() {}
