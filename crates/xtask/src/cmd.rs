//! Running commands with the project's tool directories on `PATH`.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The workspace root (the parent of `crates/xtask`).
pub(crate) fn workspace_root() -> Result<PathBuf> {
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    manifest.ancestors().nth(2).map(Path::to_path_buf).context("cannot find the workspace root")
}

/// `PATH` with cargo's bin directory and `node_modules/.bin` first.
pub(crate) fn path_env() -> String {
    let cargo_home = std::env::var("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|_| {
        PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
    });
    let node_bin = std::env::current_dir().unwrap_or_default().join("node_modules/.bin");
    format!(
        "{}:{}:{}",
        node_bin.display(),
        cargo_home.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    )
}

fn command(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Command {
    let mut c = Command::new(program);
    c.args(args).env("PATH", path_env());
    for (k, v) in envs {
        c.env(k, v);
    }
    c
}

/// Runs a command, streaming its output; fails on a non-zero exit.
pub(crate) fn run(program: &str, args: &[&str], envs: &[(&str, &str)]) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status =
        command(program, args, envs).status().with_context(|| format!("cannot start {program}"))?;
    if !status.success() {
        bail!("{program} {} failed ({status})", args.join(" "));
    }
    Ok(())
}

/// Runs a command, streaming its output and also returning it; the exit status is returned
/// rather than turned into an error.
pub(crate) fn run_capture(
    program: &str,
    args: &[&str],
    envs: &[(&str, &str)],
) -> Result<(bool, String)> {
    use std::io::{BufRead, BufReader, Write};
    eprintln!("$ {program} {}", args.join(" "));
    let mut child = command(program, args, envs)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .with_context(|| format!("cannot start {program}"))?;
    let stderr = child.stderr.take().context("no stderr")?;
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            eprintln!("{line}");
            text.push_str(&line);
            text.push('\n');
        }
        text
    });
    let mut out = String::new();
    let stdout = child.stdout.take().context("no stdout")?;
    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
        println!("{line}");
        let _ = std::io::stdout().flush();
        out.push_str(&line);
        out.push('\n');
    }
    let status = child.wait()?;
    out.push_str(&err_thread.join().unwrap_or_default());
    Ok((status.success(), out))
}

/// A command's trimmed stdout, or `None` if it cannot run or fails.
pub(crate) fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = command(program, args, &[]).stderr(Stdio::null()).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// A child process killed on drop.
pub(crate) struct Server(pub(crate) std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

pub(crate) fn wait_for(url: &str) -> Result<()> {
    for _ in 0..300 {
        if crate::cmd::output("curl", &["-fsS", "-o", "/dev/null", url]).is_some() {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    anyhow::bail!("{url} did not answer")
}

/// Free loopback port.
pub(crate) fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
