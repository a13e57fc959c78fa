//! The `server` binary: parses the command line and calls the library.

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressStyle};
use server::infra::clock::{Clock, SystemClock};
use server::roster::dto::RosterKind;
use server::roster::service::{ImportOptions, ImportTarget, Progress};
use server::{Application, Settings, demo, infra, telemetry};

#[derive(Parser)]
#[command(name = "server", about = "Jiaxiao (家校) server", version)]
struct Cli {
    /// TOML settings file (default: ./jiaxiao.toml if present). Environment variables override it.
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    /// Seed the demo district (once) and serve it (`--demo` or `serve --demo`).
    #[arg(long, global = true)]
    demo: bool,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API (the default).
    Serve,
    /// Run database migrations and exit.
    Migrate,
    /// Create a district and its first bureau officer. Idempotent.
    Bootstrap {
        #[arg(long)]
        district: String,
        /// Mobile number or email of the officer.
        #[arg(long)]
        login: String,
        #[arg(long, env = "JIAXIAO_BOOTSTRAP_PASSWORD")]
        password: String,
    },
    /// Import a roster CSV into a school, with a progress bar.
    ImportRoster {
        #[arg(long)]
        school: uuid::Uuid,
        #[arg(long, value_enum)]
        kind: RosterKind,
        file: PathBuf,
        /// Write the activation codes of new accounts to this CSV file (they are shown only once).
        #[arg(long)]
        codes_out: Option<PathBuf>,
    },
    /// Print the OpenAPI document.
    Openapi,
    /// Train the content guard's learned scorer from the tuning corpus and write its weights
    /// (`server/src/policy/scorer.weights`; deterministic, so an unchanged corpus gives the same file).
    TrainGuard,
}

#[tokio::main]
async fn main() {
    if let Err(error) = run(Cli::parse()).await {
        eprintln!("error: {error:#}");
        std::process::exit(1);
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    if let Some(Command::Openapi) = cli.command {
        print!("{}", server::startup::openapi_json());
        return Ok(());
    }
    if let Some(Command::TrainGuard) = cli.command {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/src/policy/scorer.weights");
        std::fs::write(path, server::policy::scorer::train_from_corpus())?;
        println!("wrote {path}");
        return Ok(());
    }
    let settings = Settings::load(cli.config.as_deref())?;
    telemetry::init(settings.log_format);
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings, cli.demo).await,
        Command::Migrate => {
            let db = infra::db::connect(&settings).await?;
            infra::db::migrate(&db).await?;
            println!("migrations applied");
            Ok(())
        }
        Command::Bootstrap { district, login, password } => {
            let db = infra::db::connect(&settings).await?;
            infra::db::migrate(&db).await?;
            let outcome = server::org::service::bootstrap(&db, SystemClock.now(), &district, &login, &password).await?;
            println!(
                "district {} ({}): {}; officer account {}; officer link {}",
                outcome.district.name,
                outcome.district.id,
                if outcome.district_created { "created" } else { "exists" },
                if outcome.account_created { "created" } else { "exists" },
                if outcome.officer_created { "created" } else { "exists" },
            );
            Ok(())
        }
        Command::ImportRoster { school, kind, file, codes_out } => {
            import_roster(settings, school, kind, file, codes_out).await
        }
        Command::Openapi | Command::TrainGuard => unreachable!("handled above"),
    }
}

async fn serve(settings: Settings, demo: bool) -> anyhow::Result<()> {
    // Each open event stream holds a socket: take the hard limit the OS grants (a soft limit of
    // 1,024 would refuse the 1,025th family), and say what we got.
    match rlimit::increase_nofile_limit(u64::MAX) {
        Ok(limit) => tracing::info!(limit, "open-file limit"),
        Err(error) => tracing::warn!("could not raise the open-file limit: {error}"),
    }
    let listen = settings.listen.clone();
    let app = Application::build_with_clock(settings, Arc::new(SystemClock)).await?;
    if demo {
        let state = app.state();
        let seeded = demo::seed(&state).await?;
        let how = if seeded.seeded_now {
            "seeded now"
        } else {
            "found from an earlier start, as it was left (delete the data folder to start afresh)"
        };
        println!(
            "\nJiaxiao demo — {} ({how}) — password for every account below: {}\n",
            demo::DISTRICT,
            demo::PASSWORD
        );
        for l in &seeded.logins {
            println!("  {:<15} {:<34} {}", l.role, l.login, l.who);
        }
        println!(
            "\nTry:\n  curl -s -X POST http://{listen}/api/v1/auth/login -H 'content-type: application/json' \\\n       -d '{{\"login\":\"{}\",\"password\":\"{}\"}}'",
            demo::BUREAU_LOGIN,
            demo::PASSWORD
        );
        println!("  then GET http://{listen}/api/v1/me with 'Authorization: Bearer <access_token>'.");
        println!("  API explorer: http://{listen}/docs/ (the document itself: /api/v1/openapi.json)\n");
    }
    tracing::info!("listening on http://{listen}");
    app.run_until_stopped().await?;
    Ok(())
}

struct Bar(ProgressBar);

impl Progress for Bar {
    fn phase(&self, name: &'static str, total: u64) {
        self.0.set_length(total);
        self.0.set_position(0);
        self.0.set_message(name);
    }
    fn advance(&self, by: u64) {
        self.0.inc(by);
    }
}

async fn import_roster(
    settings: Settings,
    school: uuid::Uuid,
    kind: RosterKind,
    file: PathBuf,
    codes_out: Option<PathBuf>,
) -> anyhow::Result<()> {
    let bytes = std::fs::read(&file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let db = infra::db::connect(&settings).await?;
    infra::db::migrate(&db).await?;
    let bar = ProgressBar::new(0);
    bar.set_style(ProgressStyle::with_template("{msg:>9} [{bar:40}] {pos}/{len} ({elapsed})")?.progress_chars("=> "));
    let options = ImportOptions { now: SystemClock.now(), activation_code_ttl_days: settings.activation_code_ttl_days };
    let result =
        server::roster::service::import(&db, ImportTarget::operator(school), kind, &bytes, &options, &Bar(bar.clone()))
            .await;
    bar.finish_and_clear();
    match result {
        Ok(report) => {
            println!(
                "{} rows: {} created, {} updated, {} unchanged; {} classes and {} accounts created",
                report.rows,
                report.created,
                report.updated,
                report.unchanged,
                report.classes_created,
                report.accounts_created
            );
            for w in server::roster::dto::problems_dto(&report.warnings) {
                println!("warning: row {} {}: {}", w.row, w.column.unwrap_or(""), w.message);
            }
            if let Some(path) = codes_out {
                // Activation codes are secrets: the file is its owner's only (0600).
                let mut file = std::fs::OpenOptions::new();
                file.write(true).create(true).truncate(true);
                #[cfg(unix)]
                std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
                let mut out = csv::Writer::from_writer(file.open(&path)?);
                out.write_record(server::roster::dto::IssuedCode::CSV_HEADER)?;
                for c in &report.activation_codes {
                    out.write_record(c.csv_record())?;
                }
                out.flush()?;
                println!("activation codes written to {}", path.display());
            } else if !report.activation_codes.is_empty() {
                println!(
                    "{} activation codes issued; rerun with --codes-out FILE to keep them next time",
                    report.activation_codes.len()
                );
                for c in &report.activation_codes {
                    println!("  {:<8} {:<12} {:<30} {}", c.role, c.name, c.login, c.code);
                }
            }
            Ok(())
        }
        Err(server::roster::error::RosterError::Invalid(problems)) => {
            for p in server::roster::dto::problems_dto(&problems) {
                eprintln!("row {} {}: {} ({})", p.row, p.column.unwrap_or(""), p.message, p.code);
            }
            anyhow::bail!("{} problem(s); nothing was imported", problems.len())
        }
        Err(e) => Err(e.into()),
    }
}
