//! Sites without a restart (issue 28), with the real binary: the site list is read again on
//! `SIGHUP` and when the file changes; a broken file keeps the old list and says where it is
//! wrong; a removed site is refused from then on while its request in flight completes; and
//! `emploi-proxy check` validates a file without starting.

// Test helpers fail loudly: an unwrap here is an assertion.
#![allow(clippy::unwrap_used)]

mod common;

use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::StatusCode;

const VILLE: &str =
    "[[sites]]\nkey = \"ville\"\norigins = [\"https://ville.example\"]\ncommune = \"35238\"\n";
const BOURG: &str =
    "[[sites]]\nkey = \"bourg\"\norigins = [\"https://bourg.example\"]\ncommune = \"29019\"\n";
const HAMEAU: &str =
    "[[sites]]\nkey = \"hameau\"\norigins = [\"https://hameau.example\"]\nepci = \"243500139\"\n";

/// A proxy process over a slow sandbox, with its JSON log lines collected.
struct Proxy {
    child: Child,
    base: String,
    file: PathBuf,
    dir: PathBuf,
    log: Arc<Mutex<Vec<serde_json::Value>>>,
    _sandbox: emploi_sandbox::RunningSandbox,
}

impl Proxy {
    async fn start(name: &str, sites: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("emploi-reload-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("proxy.toml");
        std::fs::write(&file, sites).unwrap();
        let (sandbox, mut command, base) =
            common::binary_over_slow_sandbox("PAR_reload", 700, &file).await;
        let mut child = command
            .env("EMPLOI_LOG", "emploi_proxy=info")
            .env("EMPLOI_LOG_JSON", "1")
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let log = Arc::new(Mutex::new(Vec::new()));
        let stdout = child.stdout.take().unwrap();
        let lines = Arc::clone(&log);
        std::thread::spawn(move || {
            for line in std::io::BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if let Ok(value) = serde_json::from_str(&line) {
                    lines.lock().unwrap().push(value);
                }
            }
        });
        common::until_ready(&base).await;
        Self { child, base, file, dir, log, _sandbox: sandbox }
    }

    /// A search of `site` from its own page.
    async fn search(&self, site: &str, q: &str) -> reqwest::Response {
        reqwest::Client::new()
            .get(format!("{}/api/v1/search?site={site}&q={q}", self.base))
            .header("origin", format!("https://{site}.example"))
            .send()
            .await
            .unwrap()
    }

    /// Replaces the file as an operator's tool would: written aside, then renamed over it.
    fn write(&self, text: &str) {
        write_atomically(&self.file, text);
    }

    fn hangup(&self) {
        let sent = Command::new("kill").args(["-HUP", &self.child.id().to_string()]).status();
        assert!(sent.unwrap().success());
    }

    /// The `n`-th log line whose message is `message` (1-based), once written.
    async fn logged(&self, message: &str, n: usize) -> serde_json::Value {
        let until = Instant::now() + Duration::from_secs(15);
        loop {
            let found = self
                .log
                .lock()
                .unwrap()
                .iter()
                .filter(|l| l["fields"]["message"] == message)
                .nth(n - 1)
                .cloned();
            if let Some(line) = found {
                return line;
            }
            assert!(Instant::now() < until, "no log line {message:?} #{n}");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn write_atomically(file: &Path, text: &str) {
    let aside = file.with_extension("toml.new");
    std::fs::write(&aside, text).unwrap();
    std::fs::rename(&aside, file).unwrap();
}

#[tokio::test]
async fn sighup_reloads_the_sites_and_a_removed_site_is_refused_after_its_request_completes() {
    let proxy = Proxy::start("sighup", &format!("{VILLE}{BOURG}")).await;
    assert_eq!(proxy.search("bourg", "vente").await.status(), StatusCode::OK);

    // A search of `bourg` that France Travail answers in 700 ms, in flight during the reload.
    let base = proxy.base.clone();
    let in_flight = tokio::spawn(async move {
        reqwest::Client::new()
            .get(format!("{base}/api/v1/search?site=bourg&q=boulanger"))
            .header("origin", "https://bourg.example")
            .send()
            .await
            .unwrap()
    });
    tokio::time::sleep(Duration::from_millis(200)).await;
    proxy.write(&format!("{VILLE}{HAMEAU}"));
    proxy.hangup();
    let reloaded = proxy.logged("sites reloaded", 1).await;
    assert_eq!(reloaded["fields"]["reason"], "SIGHUP", "{reloaded}");
    assert_eq!(reloaded["fields"]["added"], "hameau", "{reloaded}");
    assert_eq!(reloaded["fields"]["removed"], "bourg", "{reloaded}");

    let answer = in_flight.await.unwrap();
    assert_eq!(answer.status(), StatusCode::OK, "the request in flight completed");
    let refused = proxy.search("bourg", "vente").await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = refused.json().await.unwrap();
    assert!(body.to_string().contains("bourg"), "{body}");
    assert_eq!(proxy.search("hameau", "vente").await.status(), StatusCode::OK);
    assert_eq!(proxy.search("ville", "vente").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_changed_file_is_reloaded_without_a_signal_and_a_broken_one_keeps_the_old_list() {
    let proxy = Proxy::start("watch", VILLE).await;
    assert_eq!(proxy.search("bourg", "vente").await.status(), StatusCode::FORBIDDEN);

    proxy.write(&format!("{VILLE}{BOURG}"));
    let reloaded = proxy.logged("sites reloaded", 1).await;
    assert_eq!(reloaded["fields"]["reason"], "file changed", "{reloaded}");
    assert_eq!(proxy.search("bourg", "vente").await.status(), StatusCode::OK);

    // A typo on line 8: a commune code that is no INSEE code.
    proxy.write(&format!("{VILLE}{}", BOURG.replace("29019", "29O19")));
    let refused = proxy.logged("sites not reloaded: the previous list stays", 1).await;
    let error = refused["fields"]["error"].as_str().unwrap();
    assert!(error.contains("proxy.toml, line 8, commune"), "{error}");
    assert_eq!(proxy.search("bourg", "vente").await.status(), StatusCode::OK, "old list kept");

    // Garbage is refused as well, by SIGHUP too.
    proxy.write("[[sites]\nkey = ");
    proxy.hangup();
    let refused = proxy.logged("sites not reloaded: the previous list stays", 2).await;
    assert!(refused["fields"]["error"].as_str().unwrap().contains("line 1"), "{refused}");
    assert_eq!(proxy.search("ville", "vente").await.status(), StatusCode::OK);
    assert_eq!(proxy.search("bourg", "vente").await.status(), StatusCode::OK);
}

#[test]
fn check_validates_a_file_without_starting() {
    let dir = std::env::temp_dir().join(format!("emploi-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("good.toml");
    std::fs::write(&good, format!("{VILLE}{BOURG}{HAMEAU}")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_emploi-proxy"))
        .args(["check", good.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("valid, 3 site(s)"), "{out:?}");

    // Well formed, but the commune is not in the referential.
    let unknown = dir.join("unknown.toml");
    std::fs::write(&unknown, VILLE.replace("35238", "35999")).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_emploi-proxy"))
        .args(["check", unknown.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.contains("unknown.toml, line 2") && said.contains("not in the referential"),
        "{said}"
    );

    let out = Command::new(env!("CARGO_BIN_EXE_emploi-proxy")).arg("chek").output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let _ = std::fs::remove_dir_all(&dir);
}
