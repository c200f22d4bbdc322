//! smets command-line tool.
mod capture;
fn main() {}
