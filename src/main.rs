//! The `plangate` binary: parse arguments, run one verb, exit with its code.

use clap::{CommandFactory, FromArgMatches};
use plangate::cli::{self, Cli, Command};

fn main() {
    let matches = Cli::command().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    // Evaluation recurses over expressions and modules: give it a large stack, so deep
    // (but legal) input is handled by our own limits, never by a stack overflow.
    let code = std::thread::Builder::new()
        .stack_size(256 * 1024 * 1024)
        .spawn(move || match &cli.command {
            Command::Check(args) => cli::check::run(args, matches.subcommand_matches("check")),
            Command::Snapshot(args) => {
                cli::snapshot::run(args, matches.subcommand_matches("snapshot"))
            }
            Command::Controls => {
                print!("{}", cli::controls::list());
                0
            }
            Command::Init => {
                let path = std::path::Path::new(plangate::config::FILE_NAME);
                if path.exists() {
                    eprintln!(
                        "plangate: {} already exists; not overwriting it",
                        path.display()
                    );
                    2
                } else if let Err(e) = std::fs::write(path, plangate::config::STARTER) {
                    eprintln!("plangate: cannot write {}: {e}", path.display());
                    2
                } else {
                    println!("wrote {}", path.display());
                    0
                }
            }
            Command::Explain { id } => {
                match plangate::controls::catalogue::builtin()
                    .iter()
                    .find(|c| c.id.eq_ignore_ascii_case(id))
                {
                    Some(c) => {
                        print!("{}", cli::controls::explain(c));
                        0
                    }
                    None => {
                        eprintln!("plangate: no control `{id}`; `plangate controls` lists them");
                        2
                    }
                }
            }
        })
        .expect("spawn worker thread")
        .join()
        .unwrap_or(3);
    std::process::exit(code);
}
