//! `han-demo [DIR]`: writes `han-demo.pcapng` and `han-demo.keys.toml` into
//! DIR (default `test-vectors/captures`), and prints the session frame by frame.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let dir = std::env::args_os()
        .nth(1)
        .map_or_else(|| PathBuf::from("test-vectors/captures"), PathBuf::from);
    let frames = match han_demo::session() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("han-demo: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = han_demo::write_files(&dir) {
        eprintln!("han-demo: {}: {e}", dir.display());
        return ExitCode::FAILURE;
    }
    for (n, f) in (1..).zip(&frames) {
        println!("{n:>3}  {:>3} bytes  {}", f.bytes.len(), f.summary);
    }
    println!(
        "wrote {} and {} in {}",
        han_demo::CAPTURE_FILE,
        han_demo::KEYS_FILE,
        dir.display()
    );
    ExitCode::SUCCESS
}
