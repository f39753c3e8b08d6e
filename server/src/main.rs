//! The `linli` binary. Kept tiny: everything lives in the library so tests run the same code.
use linli_app::server::{Backend, Db};
use linli_server::cli::{self, Command};
use linli_server::{demo, observability, Application, Config};
use std::process::ExitCode;

// See the workspace Cargo.toml: the page renders' allocations are cheaper in mimalloc, and a
// long-running server's memory stays flatter (the README's memory figure).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    observability::init_tracing();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    match run(command).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("linli: {e}");
            ExitCode::FAILURE
        }
    }
}

async fn connect(config: &Config) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
    let db = Db::connect(&config.database_url, 4).await?;
    db.migrate().await?;
    Ok(db)
}

async fn run(command: Command) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
    let config = Config::from_env()?;
    match command {
        Command::Help => println!("{}", cli::USAGE),
        Command::Serve => {
            tracing::info!(?config, "starting");
            let app = Application::build(config.clone()).await?;
            tracing::info!("listening on http://{}:{}", config.addr.ip(), app.port());
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            connect(&config).await?;
            println!("migrations applied");
        }
        Command::SeedDemo => {
            let db = connect(&config).await?;
            if demo::seed(&db).await.map_err(|e| format!("seeding failed: {}", e.code.as_str()))? {
                println!("demo chain 绿源生活 loaded (every demo password: {})", demo::DEMO_PASSWORD);
            } else {
                println!("a chain exists already; demo data not loaded");
            }
        }
        Command::SeedHistory { days, orders, stores } => {
            let db = connect(&config).await?;
            if demo::seed(&db).await.map_err(|e| format!("seeding failed: {}", e.code.as_str()))? {
                println!("demo chain 绿源生活 loaded (every demo password: {})", demo::DEMO_PASSWORD);
            }
            let started = std::time::Instant::now();
            let s = linli_server::history::seed(&db, days, orders, stores).await?;
            println!(
                "history from {} to yesterday in {} stores: {} residents, {} online orders, {} till sales, {} group buys, {} live sessions ({:.1} s)",
                linli_server::history::first_day(days),
                s.stores,
                s.residents,
                s.orders,
                s.till_sales,
                s.group_buys,
                s.live_sessions,
                started.elapsed().as_secs_f64()
            );
        }
        Command::CreateUser { phone, password, name, role, store } => {
            let db = connect(&config).await?;
            let id = linli_app::accounts::service::create_user_with_role(&db, &phone, &password, &name, role, store)
                .await
                .map_err(|e| match e.field.as_deref() {
                    Some("store") => format!("no store with id {} (see GET /api/v1/stores)", store.unwrap_or_default()),
                    _ => format!("{} ({})", e.message(linli_app::shared::Locale::En), e.code.as_str()),
                })?;
            println!("user {id} created: {phone} as {}", role.as_str());
        }
        Command::Backup { to } => {
            let db = connect(&config).await?;
            match db.backend {
                Backend::Sqlite => {
                    if std::path::Path::new(&to).exists() {
                        return Err(format!("{to} exists already; choose a new file").into());
                    }
                    // VACUUM INTO writes a consistent snapshot while the server keeps running.
                    sqlx::query("vacuum into $1").bind(&to).execute(&db.pool).await?;
                    println!("backup written to {to}");
                }
                Backend::Postgres => {
                    return Err("for PostgreSQL use pg_dump, e.g. pg_dump -Fc \"$DATABASE_URL\" > linli.dump".into());
                }
            }
        }
    }
    Ok(())
}
