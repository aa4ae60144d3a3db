//! A real WordPress for the plugin's browser test (`widget/wordpress/offres-emploi`): Debian's
//! `wordpress` package copied under `target/wordpress-test`, a MariaDB of its own, PHP's built-in
//! server, all on 127.0.0.1. WordPress is installed with an administrator and an editor, the
//! plugin activated and pointed at the proxy, and `DISALLOW_UNFILTERED_HTML` set, so that the
//! editor cannot paste a script, as on a multisite network: the plugin is what lets them place
//! the widget.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

use crate::cmd::{Server, free_port, run};

/// Debian's packages the test needs.
pub(crate) const PACKAGES: [&str; 6] = [
    "wordpress",
    "wordpress-l10n",
    "wordpress-theme-twentytwentythree",
    "php-cli",
    "php-mysql",
    "mariadb-server",
];

/// The editor the browser test logs in as, and its password.
pub(crate) const EDITOR: (&str, &str) = ("redaction", "redaction-mairie-2026");

/// A running WordPress: stopped (database and PHP server) when dropped.
pub(crate) struct WordPress {
    /// `http://127.0.0.1:<port>`.
    pub(crate) origin: String,
    _php: Server,
    _database: Server,
}

/// Whether the packages are there.
pub(crate) fn installed() -> bool {
    Path::new("/usr/share/wordpress/wp-settings.php").exists()
        && Path::new("/usr/share/wordpress/wp-content/languages/fr_FR.mo").exists()
        && Path::new("/usr/share/wordpress/wp-content/themes/twentytwentythree").exists()
        && Path::new("/usr/sbin/mariadbd").exists()
        && Path::new("/usr/bin/php").exists()
}

/// Installs and starts WordPress on `port` with the plugin, the widget served by `proxy`.
pub(crate) fn start(root: &Path, proxy: &str, port: u16) -> Result<WordPress> {
    let dir = root.join("target/wordpress-test");
    if dir.exists() {
        std::fs::remove_dir_all(&dir).with_context(|| format!("removing {}", dir.display()))?;
    }
    std::fs::create_dir_all(&dir)?;
    let database = start_database(&dir)?;
    let site = dir.join("wp");
    run("cp", &["-r", "/usr/share/wordpress", &site.to_string_lossy()], &[])?;
    // The plugin as a commune would install it, from the repository's folder; each PHP file
    // must parse first.
    let plugin = root.join("widget/wordpress/offres-emploi");
    for entry in std::fs::read_dir(&plugin)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "php") {
            run("php", &["-l", &path.to_string_lossy()], &[])?;
        }
    }
    std::os::unix::fs::symlink(&plugin, site.join("wp-content/plugins/offres-emploi"))?;
    // Debian's wp-config.php looks for /etc/wordpress/config-<host>.php: this one is its own.
    let origin = format!("http://127.0.0.1:{port}");
    std::fs::write(site.join("wp-config.php"), config(database.1))?;
    std::fs::write(dir.join("install.php"), install_script(&origin, proxy))?;
    let out = Command::new("php")
        .arg(dir.join("install.php"))
        .output()
        .context("php (install WordPress)")?;
    if !out.status.success() {
        bail!(
            "installing WordPress failed: {}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let log = std::fs::File::create(dir.join("php.log"))?;
    let php = Command::new("php")
        .args(["-S", &format!("127.0.0.1:{port}"), "-t"])
        .arg(&site)
        // The block editor loads many files at once.
        .env("PHP_CLI_SERVER_WORKERS", "4")
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .context("php -S")?;
    let php = Server(php);
    crate::cmd::wait_for(&format!("{origin}/wp-login.php"))?;
    Ok(WordPress { origin, _php: php, _database: database.0 })
}

/// A MariaDB server of its own on a free port, with an empty `wordpress` database.
fn start_database(dir: &Path) -> Result<(Server, u16)> {
    let data = dir.join("db");
    let data_arg = format!("--datadir={}", data.display());
    run(
        "mariadb-install-db",
        &["--no-defaults", &data_arg, "--user=root", "--auth-root-authentication-method=normal"],
        &[],
    )
    .context("mariadb-install-db")?;
    let port = free_port()?;
    let socket = format!("--socket={}", dir.join("mysql.sock").display());
    let log = std::fs::File::create(dir.join("mariadb.log"))?;
    let child = Command::new("/usr/sbin/mariadbd")
        .args([
            "--no-defaults",
            &data_arg,
            &socket,
            &format!("--port={port}"),
            "--bind-address=127.0.0.1",
            "--user=root",
            "--skip-log-bin",
            &format!("--pid-file={}", dir.join("mariadb.pid").display()),
        ])
        .stdout(Stdio::from(log.try_clone()?))
        .stderr(Stdio::from(log))
        .spawn()
        .context("mariadbd")?;
    let server = Server(child);
    let port_arg = format!("--port={port}");
    for attempt in 0.. {
        let created = Command::new("mariadb")
            .args(["--no-defaults", "-h", "127.0.0.1", &port_arg, "-u", "root"])
            .args(["-e", "CREATE DATABASE IF NOT EXISTS wordpress"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()?;
        if created.success() {
            break;
        }
        if attempt > 150 {
            bail!("MariaDB did not start (see {})", dir.join("mariadb.log").display());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Ok((server, port))
}

fn config(database_port: u16) -> String {
    let salt = |name: &str| format!("define('{name}', '{:032x}');\n", rand_u128());
    let salts: String = [
        "AUTH_KEY",
        "SECURE_AUTH_KEY",
        "LOGGED_IN_KEY",
        "NONCE_KEY",
        "AUTH_SALT",
        "SECURE_AUTH_SALT",
        "LOGGED_IN_SALT",
        "NONCE_SALT",
    ]
    .iter()
    .map(|n| salt(n))
    .collect();
    format!(
        "<?php
define('DB_NAME', 'wordpress');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '127.0.0.1:{database_port}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{salts}$table_prefix = 'wp_';
define('WP_DEBUG', false);
// As on a multisite network: editors cannot publish scripts or frames.
define('DISALLOW_UNFILTERED_HTML', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_HTTP_BLOCK_EXTERNAL', true);
define('FS_METHOD', 'direct');
if (!defined('ABSPATH')) {{ define('ABSPATH', __DIR__ . '/'); }}
require_once ABSPATH . 'wp-settings.php';
"
    )
}

fn install_script(origin: &str, proxy: &str) -> String {
    let (editor, password) = EDITOR;
    format!(
        r#"<?php
define('WP_INSTALLING', true);
$_SERVER['HTTP_HOST'] = '{host}';
require __DIR__ . '/wp/wp-load.php';
require_once ABSPATH . 'wp-admin/includes/upgrade.php';
require_once ABSPATH . 'wp-admin/includes/plugin.php';
$installed = wp_install('Mairie de Saint-Exemple', 'admin', 'admin@example.org', false, '', 'admin-mairie-2026');
if (is_wp_error($installed)) {{ fwrite(STDERR, $installed->get_error_message()); exit(1); }}
update_option('siteurl', '{origin}');
update_option('home', '{origin}');
update_option('WPLANG', 'fr_FR');
$user = wp_insert_user(array('user_login' => '{editor}', 'user_pass' => '{password}', 'role' => 'editor', 'user_email' => 'redaction@example.org'));
if (is_wp_error($user)) {{ fwrite(STDERR, $user->get_error_message()); exit(1); }}
// The site is French, as residents see it; the editor's screens are in English, so that the
// test reads WordPress' own labels as its tests do.
update_user_meta($user, 'locale', 'en_US');
switch_theme('twentytwentythree');
$active = activate_plugin('offres-emploi/offres-emploi.php');
if (is_wp_error($active)) {{ fwrite(STDERR, $active->get_error_message()); exit(1); }}
update_option('offres_emploi_settings', array('proxy' => '{proxy}', 'site' => 'demo', 'affichage' => 'script'));
echo "WordPress installed\n";
"#,
        host = origin.trim_start_matches("http://"),
    )
}

/// A random number from the system's source, for the configuration's keys.
fn rand_u128() -> u128 {
    use std::hash::{BuildHasher, Hasher};
    let state = std::collections::hash_map::RandomState::new();
    let mut high = state.build_hasher();
    high.write_u8(1);
    let mut low = state.build_hasher();
    low.write_u8(2);
    (u128::from(high.finish()) << 64) | u128::from(low.finish())
}

/// `cargo xtask wordpress <proxy origin> [port]`: starts WordPress with the plugin against the
/// proxy at `proxy`, prints its address, and serves until stopped (the browser tests start it
/// so, from `tests/playwright.config.mjs`).
pub(crate) fn serve(proxy: &str, port: Option<u16>) -> Result<()> {
    if !installed() {
        crate::setup::ensure_debian(&PACKAGES)?;
    }
    let root: PathBuf = crate::cmd::workspace_root()?;
    let port = match port {
        Some(port) => port,
        None => free_port()?,
    };
    let wp = start(&root, proxy, port)?;
    println!("WordPress on {} (editor {} / {})", wp.origin, EDITOR.0, EDITOR.1);
    loop {
        std::thread::park();
    }
}
