//! `linli serve | migrate | seed-demo | seed-history … | create-user … | backup --to FILE`.
use linli_app::accounts::Role;

#[derive(Debug, PartialEq)]
pub enum Command {
    Serve,
    Migrate,
    SeedDemo,
    SeedHistory { days: i64, orders: i64, stores: Option<i64> },
    CreateUser { phone: String, password: String, name: String, role: Role, store: Option<i64> },
    Backup { to: String },
    Help,
}

pub const USAGE: &str = "linli — the neighbourhood store server

USAGE:
  linli [serve]            run the web server (DATABASE_URL, LINLI_ADDR)
  linli migrate            apply database migrations and exit
  linli seed-demo          load the demo chain 绿源生活 (only into an empty database)
  linli seed-history [--days 365] [--orders 20000] [--stores N]
                           a past for the demo chain (loaded first if missing): orders, till,
                           group buys, live sessions, deliveries, waste — for insights and benchmarks;
                           --stores grows the chain to N stores first (copies of the demo's, up to 2000)
  linli create-user --phone P --password W --name N --role owner|manager|staff|rider|resident [--store ID]
  linli backup --to FILE   consistent SQLite snapshot (PostgreSQL: use pg_dump)

DATABASE_URL: sqlite://data/linli.db (default) or postgres://user@host/db";

pub fn parse(args: &[String]) -> Result<Command, String> {
    let Some(cmd) = args.first() else { return Ok(Command::Serve) };
    let flags = &args[1..];
    let get = |name: &str| -> Option<String> {
        flags.iter().position(|a| a == name).and_then(|i| flags.get(i + 1)).cloned()
    };
    let need = |name: &str| get(name).ok_or_else(|| format!("missing {name}\n\n{USAGE}"));
    match cmd.as_str() {
        "serve" => Ok(Command::Serve),
        "migrate" => Ok(Command::Migrate),
        "seed-demo" => Ok(Command::SeedDemo),
        "seed-history" => {
            let number = |name: &str, default: i64, max: i64| -> Result<i64, String> {
                match get(name) {
                    None => Ok(default),
                    Some(v) => v.parse::<i64>().ok().filter(|n| (1..=max).contains(n)).ok_or_else(|| format!("{name} must be a number from 1 to {max}, not {v}")),
                }
            };
            let stores = match get("--stores") {
                None => None,
                Some(_) => Some(number("--stores", 3, 2000)?),
            };
            Ok(Command::SeedHistory { days: number("--days", 365, 3650)?, orders: number("--orders", 20_000, 10_000_000)?, stores })
        }
        "create-user" => {
            let role_text = need("--role")?;
            let role = Role::parse(&role_text).ok_or_else(|| format!("unknown role {role_text}"))?;
            let store = match get("--store") {
                Some(s) => Some(s.parse().map_err(|_| format!("--store must be a store id, not {s}"))?),
                None => None,
            };
            if role.is_store_role() && store.is_none() {
                return Err(format!("a {role_text} works at a store: add --store ID"));
            }
            Ok(Command::CreateUser { phone: need("--phone")?, password: need("--password")?, name: need("--name")?, role, store })
        }
        "backup" => Ok(Command::Backup { to: need("--to")? }),
        "help" | "--help" | "-h" => Ok(Command::Help),
        other => Err(format!("unknown command {other}\n\n{USAGE}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn parses_every_command() {
        assert_eq!(parse(&[]), Ok(Command::Serve));
        assert_eq!(parse(&args("migrate")), Ok(Command::Migrate));
        assert_eq!(parse(&args("seed-history")), Ok(Command::SeedHistory { days: 365, orders: 20_000, stores: None }));
        assert_eq!(parse(&args("seed-history --days 30 --orders 1000000")), Ok(Command::SeedHistory { days: 30, orders: 1_000_000, stores: None }));
        assert_eq!(parse(&args("seed-history --stores 200")), Ok(Command::SeedHistory { days: 365, orders: 20_000, stores: Some(200) }));
        assert!(parse(&args("seed-history --days 0")).is_err());
        assert!(parse(&args("seed-history --stores 2001")).is_err());
        assert_eq!(parse(&args("backup --to /tmp/x.db")), Ok(Command::Backup { to: "/tmp/x.db".into() }));
        assert_eq!(
            parse(&args("create-user --phone 13800000009 --password secret123 --name 王 --role staff --store 2")),
            Ok(Command::CreateUser { phone: "13800000009".into(), password: "secret123".into(), name: "王".into(), role: Role::Staff, store: Some(2) })
        );
    }

    #[test]
    fn store_roles_need_a_store() {
        assert!(parse(&args("create-user --phone 1 --password p --name n --role staff")).is_err());
        assert!(parse(&args("create-user --phone 1 --password p --name n --role chef")).is_err());
        assert!(parse(&args("frobnicate")).is_err());
    }
}
