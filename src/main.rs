//! The `registry` command: serve the API (default), migrate, load demo data, export the schema,
//! import municipalities, or issue a token for local use.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use registry::common_model;
use registry::db;
use registry::graphql;
use registry::identity::{Actor, JwtKeys, Role};
use registry::seed;
use registry::settings::Settings;
use registry::sheets;
use registry::startup::Application;
use registry::telemetry;

/// The proposition registry of the Dutch public library network.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the site, the GraphQL API and GraphiQL (the default).
    Serve,
    /// Apply pending database migrations and load the common model.
    Migrate,
    /// Load (or complete) the demo network.
    SeedDemo,
    /// Write the GraphQL schema (SDL) to a file, or check that the file is current.
    ExportSchema {
        /// Where the schema lives.
        #[arg(long, default_value = "schema/schema.graphql")]
        path: PathBuf,
        /// Fail if the file differs from the code instead of writing it.
        #[arg(long)]
        check: bool,
    },
    /// Import the official municipality list from a CSV file with the header `code,name,province`.
    ImportMunicipalities {
        /// The sheet: a CSV file, or an Excel workbook (.xlsx; its first worksheet).
        file: PathBuf,
    },
    /// Import a library's propositions from a CSV sheet (the layout of `/beheer/aanbod/importeren`):
    /// reports every row, and writes the valid ones only with --write.
    Import {
        /// The library's slug, e.g. bibliotheek-zoetermeer.
        #[arg(long)]
        org: String,
        /// The sheet: a CSV file, or an Excel workbook (.xlsx; its first worksheet).
        file: PathBuf,
        /// Write the valid rows (all together); without it, only check and report.
        #[arg(long)]
        write: bool,
        /// Who runs the import, as the change log names them (`cli:<name>`).
        #[arg(long = "as", default_value = "operator")]
        who: String,
    },
    /// Issue a signed token for local use (paste it into GraphiQL's headers).
    Token {
        /// The user the token is for.
        #[arg(long, default_value = "local-user")]
        subject: String,
        /// The role.
        #[arg(long, value_enum)]
        role: Role,
        /// The organisation's slug, e.g. bibliotheek-zoetermeer.
        #[arg(long)]
        org: Option<String>,
        /// How many hours the token is valid.
        #[arg(long, default_value_t = 8)]
        hours: i64,
        /// The user administers the organisation (manages its partner API keys).
        #[arg(long)]
        admin: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Some(Command::ExportSchema { path, check }) = &cli.command {
        return export_schema(path, *check);
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    telemetry::init(settings.log.format);
    match run(cli.command.unwrap_or(Command::Serve), settings).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            tracing::error!(error = %e, "the registry stopped with an error");
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, settings: Settings) -> Result<(), Box<dyn std::error::Error>> {
    match command {
        Command::Serve => {
            let app = Application::build(&settings).await?;
            let site = format!("http://{}:{}", settings.server.host, app.port());
            tracing::info!(url = %site, "the registry is listening");
            println!("The site: {site}/");
            println!("GraphiQL: {site}/graphiql (the API at {site}/graphql)");
            match app.metrics_address() {
                Some(address) => tracing::info!(url = %format!("http://{address}/metrics"), "metrics are served"),
                None => tracing::info!("metrics are off"),
            }
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            seed::load_reference_data(&conn).await.map_err(|e| e.describe())?;
            println!("migrations applied; common model present");
        }
        Command::SeedDemo => {
            let conn = db::connect(&settings).await?;
            db::migrate(&conn).await?;
            seed::load_reference_data(&conn).await.map_err(|e| e.describe())?;
            seed::load_demo(&conn).await.map_err(|e| e.describe())?;
            println!("demo network loaded");
        }
        Command::ImportMunicipalities { file } => {
            let text = std::fs::read_to_string(&file)?;
            let conn = db::connect(&settings).await?;
            let summary = common_model::region::import_municipalities(&conn, &Actor::system(), &text)
                .await
                .map_err(|e| e.describe())?;
            println!("created {}, updated {}, unchanged {}", summary.created, summary.updated, summary.unchanged);
        }
        Command::Import { org, file, write, who } => {
            let bytes = std::fs::read(&file)?;
            let conn = db::connect(&settings).await?;
            let report = sheets::import_file(&conn, &org, &who, &bytes, write).await.map_err(|e| e.describe())?;
            for row in report.rows.iter().filter(|r| r.outcome == sheets::import::Outcome::Error) {
                for error in &row.errors {
                    println!("line {}: {}: {} ({})", row.line, error.column, error.message, row.title);
                }
            }
            use sheets::import::Outcome::*;
            println!(
                "{}: {} new, {} changed, {} unchanged, {} refused",
                if report.written() { "written" } else { "checked only (add --write to write)" },
                report.count(Create),
                report.count(Change),
                report.count(Unchanged),
                report.count(Error)
            );
            if !report.unknown_columns.is_empty() {
                println!("ignored columns: {}", report.unknown_columns.join(", "));
            }
        }
        Command::Token { subject, role, org, hours, admin } => {
            if !(1..=24 * 30).contains(&hours) {
                return Err("--hours must be between 1 and 720".into());
            }
            if role.required_organisation_kind().is_some() && org.is_none() {
                return Err(format!("a {} token needs --org <slug>", role.as_str()).into());
            }
            if admin && org.is_none() {
                return Err("--admin needs --org <slug>: an administrator administers an organisation".into());
            }
            let keys = JwtKeys::from_settings(&settings)?;
            let mut claims = keys.claims(&subject, org.as_deref(), role, chrono::Duration::hours(hours));
            claims.admin = admin;
            let token = keys.sign(&claims).map_err(|e| e.describe())?;
            println!("{token}");
        }
        Command::ExportSchema { .. } => unreachable!("handled before settings are read"),
    }
    Ok(())
}

fn export_schema(path: &PathBuf, check: bool) -> ExitCode {
    let sdl = graphql::export_sdl();
    if check {
        match std::fs::read_to_string(path) {
            Ok(current) if current == sdl => {
                println!("{} is current", path.display());
                ExitCode::SUCCESS
            }
            Ok(_) => {
                eprintln!("{} is out of date: run `cargo run -- export-schema` and commit it", path.display());
                ExitCode::FAILURE
            }
            Err(e) => {
                eprintln!("cannot read {}: {e}", path.display());
                ExitCode::FAILURE
            }
        }
    } else {
        if let Some(parent) = path.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        match std::fs::write(path, sdl) {
            Ok(()) => {
                println!("wrote {}", path.display());
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("cannot write {}: {e}", path.display());
                ExitCode::FAILURE
            }
        }
    }
}
