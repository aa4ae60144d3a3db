//! Sites without a restart: the configuration file's `[[sites]]` are read again on `SIGHUP` and
//! when the file changes, and replace the registered sites at once.
//!
//! - A file that does not pass the start-up checks (syntax, the search vocabulary's rules, the
//!   referential) changes nothing: the old list stays and the error is logged with the file
//!   and the line.
//! - Caches and requests in flight survive: a request that passed the gate finishes with the
//!   site it holds; the next request of a removed site is refused.
//! - Only the sites are read again. The other sections (budget, cache, limits) are read at
//!   start; a reload that finds them changed says so in the log.
//! - The file is watched by polling its metadata (size, modification time, inode) every
//!   [`POLL`], and read once two polls agree, so that a file being written is not read half
//!   way. Polling rather than inotify: an editor's rename-on-save, a Kubernetes ConfigMap's
//!   symbolic-link swap and network file systems all change what `stat` sees, while inotify
//!   watches miss some of them.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use crate::AppState;
use crate::config::{self, ConfigError};
use crate::sites::SitesChange;

/// How often the configuration file's metadata is read.
pub const POLL: Duration = Duration::from_secs(1);

/// What identifies one version of the file: `None` when it cannot be read.
type Signature = Option<(SystemTime, u64, u64)>;

fn signature(path: &Path) -> Signature {
    let meta = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&meta);
    #[cfg(not(unix))]
    let inode = 0;
    Some((meta.modified().ok()?, meta.len(), inode))
}

/// Reads the configuration file's sites again and registers them in place of the old ones;
/// `reason` says why in the log. On an error, the old sites stay.
pub async fn reload(state: &AppState, reason: &str) -> Result<SitesChange, ConfigError> {
    let Some(path) = state.config.config_file.clone() else {
        return Err(ConfigError {
            name: "EMPLOI_CONFIG",
            problem: "no configuration file to read the sites from".to_owned(),
        });
    };
    let referentiel = std::sync::Arc::clone(&state.referentiel);
    let read = tokio::task::spawn_blocking(move || config::load_file(&path, &referentiel))
        .await
        .map_err(|e| ConfigError { name: "EMPLOI_CONFIG", problem: e.to_string() })?;
    let (sites, others_changed) = match read {
        Ok(file) => {
            let others_changed = !file.same_start_settings(&state.config);
            (state.config.with_builtin_sites(file.sites), others_changed)
        }
        Err(e) => {
            state.metrics.reload_failed();
            tracing::error!(reason, error = %e, "sites not reloaded: the previous list stays");
            return Err(e);
        }
    };
    let change = state.access.replace_sites(&sites);
    state.metrics.sites_reloaded(sites.len(), &change.removed);
    if !change.changed.is_empty() {
        // Rendered answers of a site whose territory changed would show the old one: they are
        // made again from the upstream caches, which stay.
        state.responses.invalidate_all();
        state.pages.invalidate_all();
    }
    tracing::info!(
        reason,
        sites = sites.len(),
        added = %listed(&change.added),
        changed = %listed(&change.changed),
        removed = %listed(&change.removed),
        "sites reloaded"
    );
    if others_changed {
        tracing::warn!(
            "the configuration file's other sections changed: they take effect at the next restart"
        );
    }
    Ok(change)
}

/// Keys for the log: all of them up to ten, then a count.
fn listed(keys: &[String]) -> String {
    match keys.len() {
        0 => "-".to_owned(),
        n if n <= 10 => keys.join(","),
        n => format!("{},… ({n} in all)", keys[..10].join(",")),
    }
}

/// Pins the first views a reload calls for: the added sites', or, when a site was removed or
/// changed (or `all`: an earlier reload's pinning was cut short), every site's again (a removed
/// site's first view is no longer kept warm).
async fn warm(state: AppState, change: SitesChange, all: bool) {
    let sites = if !all && change.removed.is_empty() && change.changed.is_empty() {
        change.added.iter().filter_map(|key| state.access.site(key)).collect()
    } else {
        state.upstream.unpin_all();
        state.access.sites()
    };
    crate::service::search::warm_first_views(&state, &sites).await;
}

/// Reloads the sites on `SIGHUP` and when the configuration file changes, for ever (at once
/// without a configuration file). The `SIGHUP` handler is in place when this returns, so that
/// a signal sent as soon as the proxy listens never meets the default action (termination).
pub fn watch(state: AppState) -> impl Future<Output = ()> {
    let mut hangups = Hangups::new();
    async move {
        let Some(path) = state.config.config_file.clone() else { return };
        watch_file(state, path, &mut hangups).await;
    }
}

/// The process's `SIGHUP`s (none on other systems, or when no handler could be set).
struct Hangups {
    #[cfg(unix)]
    signal: Option<tokio::signal::unix::Signal>,
}

impl Hangups {
    fn new() -> Self {
        #[cfg(unix)]
        {
            use tokio::signal::unix::{SignalKind, signal};
            let signal = signal(SignalKind::hangup())
                .inspect_err(|e| {
                    tracing::warn!(error = %e, "no SIGHUP handler: the sites reload on file changes only");
                })
                .ok();
            Self { signal }
        }
        #[cfg(not(unix))]
        Self {}
    }

    /// The next signal.
    async fn next(&mut self) {
        #[cfg(unix)]
        if let Some(signal) = self.signal.as_mut()
            && signal.recv().await.is_some()
        {
            return;
        }
        std::future::pending::<()>().await;
    }
}

async fn watch_file(state: AppState, path: PathBuf, hangups: &mut Hangups) {
    let mut loaded = signature(&path);
    let mut seen = loaded;
    let mut poll = tokio::time::interval(POLL);
    poll.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut warming: Option<tokio::task::JoinHandle<()>> = None;
    loop {
        let reason = tokio::select! {
            () = hangups.next() => "SIGHUP",
            _ = poll.tick() => {
                let now = signature(&path);
                if now != seen {
                    // Changed since the last poll: read it once it holds still.
                    seen = now;
                    continue;
                }
                if now == loaded {
                    continue;
                }
                "file changed"
            }
        };
        loaded = signature(&path);
        seen = loaded;
        if let Ok(change) = reload(&state, reason).await {
            // A pinning still running is stopped; the sites it had not reached yet are then
            // pinned by this one, which goes through every site.
            let cut = warming.take().is_some_and(|previous| {
                let running = !previous.is_finished();
                previous.abort();
                running
            });
            warming = Some(tokio::spawn(warm(state.clone(), change, cut)));
        }
    }
}
