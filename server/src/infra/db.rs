//! Database connection for both backends, and migrations.
//!
//! SQLite (the embedded default) runs in WAL mode with a busy timeout and foreign keys on; every
//! query inside a transaction must go through that transaction (TECH-NOTES, trap 6).

use std::time::Duration;

use migration::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};

use crate::config::Settings;

pub async fn connect(settings: &Settings) -> anyhow::Result<DatabaseConnection> {
    let url = settings.effective_database_url();
    if url.starts_with("sqlite") {
        std::fs::create_dir_all(&settings.data_dir)?;
        if let Some(path) = sqlite_file(&url) {
            create_private(&path)?;
        }
    }
    let mut options = ConnectOptions::new(url.clone());
    options
        .max_connections(settings.db_max_connections.max(1))
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(10))
        .sqlx_logging(false);
    if url.starts_with("sqlite") {
        options.map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true)
        });
    }
    let db = Database::connect(options)
        .await
        .map_err(|e| anyhow::anyhow!("cannot connect to the database ({}): {e}", redact(&url)))?;
    Ok(db)
}

/// The file of a `sqlite://PATH?…` URL (`None` for an in-memory database).
fn sqlite_file(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
}

/// Creates the database file readable by its owner only (0600), before SQLite creates it with the
/// umask's 0644: it holds password hashes and every family's data. SQLite gives its `-wal` and
/// `-shm` files the database file's permissions. An existing file is left as its operator set it.
fn create_private(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Begins a transaction that will write. On SQLite it takes the write lock at once (`BEGIN
/// IMMEDIATE`), so concurrent writers queue on the busy timeout instead of failing with
/// "database is locked" when a read transaction tries to upgrade; PostgreSQL ignores the mode.
pub async fn begin(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    let options =
        TransactionOptions { sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate), ..Default::default() };
    db.begin_with_options(options).await
}

/// Refreshes PostgreSQL's planner statistics after a bulk write (a roster import, a fan-out to a
/// whole district). Until autovacuum gets to it the planner believes the tables are as small as
/// before and may pick an index that scans every new row on each request. SQLite needs nothing.
pub async fn refresh_statistics(db: &DatabaseConnection, tables: &[&str]) {
    if db.get_database_backend() != DbBackend::Postgres {
        return;
    }
    if let Err(error) = db.execute_unprepared(&format!("ANALYZE {}", tables.join(", "))).await {
        tracing::warn!("ANALYZE {tables:?} failed: {error}");
    }
}

/// Rows written at once above which [`refresh_statistics`] is worth its cost.
pub const BULK_ROWS: u64 = 1_000;

pub async fn migrate(db: &DatabaseConnection) -> anyhow::Result<()> {
    Migrator::up(db, None).await?;
    Ok(())
}

pub async fn ping(db: &DatabaseConnection) -> bool {
    db.execute_unprepared("SELECT 1").await.is_ok()
}

pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "postgresql",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}

/// Connections of the pool right now.
pub struct PoolUsage {
    /// Open connections, in use or idle.
    pub size: u32,
    pub idle: usize,
}

pub fn pool_usage(db: &DatabaseConnection) -> PoolUsage {
    match db.get_database_backend() {
        DbBackend::Postgres => {
            let pool = db.get_postgres_connection_pool();
            PoolUsage { size: pool.size(), idle: pool.num_idle() }
        }
        DbBackend::Sqlite => {
            let pool = db.get_sqlite_connection_pool();
            PoolUsage { size: pool.size(), idle: pool.num_idle() }
        }
        _ => PoolUsage { size: 0, idle: 0 },
    }
}

/// Hides the password of a connection URL before it is logged.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let credentials = &url[scheme + 3..at];
            match credentials.find(':') {
                Some(colon) => format!("{}{}:***{}", &url[..scheme + 3], &credentials[..colon], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("postgres://u@h/db"), "postgres://u@h/db");
    }

    #[test]
    fn the_file_of_a_sqlite_url() {
        use super::sqlite_file;
        assert_eq!(sqlite_file("sqlite:///data/j.db?mode=rwc"), Some("/data/j.db".into()));
        assert_eq!(sqlite_file("sqlite://data/j.db"), Some("data/j.db".into()));
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://x/y"), None);
    }

    #[cfg(unix)]
    #[tokio::test]
    async fn a_new_sqlite_database_is_readable_by_its_owner_only() {
        use sea_orm::ConnectionTrait;
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let settings =
            crate::config::Settings { data_dir: dir.path().to_path_buf(), ..crate::config::Settings::default() };
        let db = super::connect(&settings).await.unwrap();
        db.execute_unprepared("CREATE TABLE t (x INTEGER)").await.unwrap();
        let mode = std::fs::metadata(dir.path().join("jiaxiao.db")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
}
