fn main() -> std::process::ExitCode {
    unlatch::cli::main()
}
