//! One migration source, two backends: after every migration both databases must have the same
//! tables, columns (kind of type, nullability, default), indexes and checks — what a query may
//! rely on. Runs when LINLI_TEST_PG_URL names a PostgreSQL server (CI does).
use linli_app::server::Db;
use sqlx::Row;
use std::collections::BTreeMap;

/// table → column → (kind of type, nullable, default).
type Columns = BTreeMap<String, BTreeMap<String, (String, bool, Option<String>)>>;
/// (table, index) → (unique, partial, columns).
type Indexes = BTreeMap<(String, String), (bool, bool, Vec<String>)>;
/// table → each check's words and literals, sorted.
type Checks = BTreeMap<String, Vec<String>>;

/// A type's kind: SQLite's `integer` and PostgreSQL's `bigint` hold the same values here.
fn kind(declared: &str) -> String {
    match declared.to_lowercase().as_str() {
        "integer" | "bigint" | "smallint" => "int",
        "real" | "double precision" => "float",
        "text" | "character varying" => "text",
        "blob" | "bytea" => "bytes",
        "boolean" => "bool",
        other => return other.to_string(),
    }
    .to_string()
}

/// A default as both write it: `'x'::text` and `'x'` alike; a sequence is no default.
fn default_of(raw: Option<String>) -> Option<String> {
    let raw = raw?.to_lowercase();
    if raw.starts_with("nextval(") {
        return None;
    }
    let mut v = raw.trim().trim_start_matches('(').trim_end_matches(')').to_string();
    if let Some(cast) = v.rfind("::") {
        v.truncate(cast);
    }
    Some(v.trim_start_matches('(').trim_end_matches(')').to_string())
}

/// A check as the sorted set of its names and literals: `x between 1 and 5` and PostgreSQL's
/// `((x >= 1) AND (x <= 5))` agree, and so do `in ('a', 'b')` and `= ANY (ARRAY['a'::text, …])`.
fn fingerprint(check: &str) -> String {
    const NOISE: &[&str] = &["check", "and", "or", "not", "is", "in", "any", "array", "between", "text", "bigint", "integer", "numeric", "boolean", "double", "precision", "character", "varying", "real"];
    let mut words = Vec::new();
    let mut chars = check.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut lit = String::from("'");
            for d in chars.by_ref() {
                lit.push(d);
                if d == '\'' {
                    break;
                }
            }
            words.push(lit);
        } else if c.is_alphanumeric() || c == '_' {
            let mut w = c.to_lowercase().to_string();
            while let Some(&d) = chars.peek().filter(|d| d.is_alphanumeric() || **d == '_') {
                w.extend(d.to_lowercase());
                chars.next();
            }
            if !NOISE.contains(&w.as_str()) {
                words.push(w);
            }
        }
    }
    words.sort();
    words.dedup();
    words.join(" ")
}

/// The bodies of the `check (…)` clauses in a SQLite `create table`.
fn sqlite_checks(create: &str) -> Vec<String> {
    let lower = create.to_lowercase();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = lower[from..].find("check").map(|i| from + i) {
        from = at + "check".len();
        let open = from + (lower[from..].len() - lower[from..].trim_start().len());
        if !lower[open..].starts_with('(') || lower[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_') {
            continue; // a name such as checked_at
        }
        let mut depth = 0;
        for (i, c) in lower[open..].char_indices() {
            depth += match c {
                '(' => 1,
                ')' => -1,
                _ => 0,
            };
            if depth == 0 {
                found.push(create[open..open + i + 1].to_string());
                from = open + i + 1;
                break;
            }
        }
    }
    found
}

async fn sqlite_schema(db: &Db) -> (Columns, Indexes, Checks) {
    let (mut columns, mut indexes, mut checks) = (Columns::new(), Indexes::new(), Checks::new());
    let tables = sqlx::query("select name, sql from sqlite_master where type = 'table' and name not like 'sqlite_%' and name <> '_sqlx_migrations'")
        .fetch_all(&db.pool)
        .await
        .expect("tables");
    for t in tables {
        let (table, create): (String, String) = (t.get(0), t.get(1));
        for c in sqlx::query("select name, type, \"notnull\", dflt_value, pk from pragma_table_info($1)").bind(&table).fetch_all(&db.pool).await.expect("columns") {
            let (notnull, pk): (i64, i64) = (c.get(2), c.get(4));
            let column = (kind(&c.get::<String, _>(1)), notnull == 0 && pk == 0, default_of(c.get(3)));
            columns.entry(table.clone()).or_default().insert(c.get(0), column);
        }
        for i in sqlx::query("select name, \"unique\", partial from pragma_index_list($1) where origin = 'c'").bind(&table).fetch_all(&db.pool).await.expect("indexes") {
            let name: String = i.get(0);
            let cols = sqlx::query("select coalesce(name, '(expression)') from pragma_index_info($1) order by seqno").bind(&name).fetch_all(&db.pool).await.expect("index columns");
            let (unique, partial): (i64, i64) = (i.get(1), i.get(2));
            indexes.insert((table.clone(), name), (unique == 1, partial == 1, cols.iter().map(|r| r.get(0)).collect()));
        }
        let mut found: Vec<String> = sqlite_checks(&create).iter().map(|c| fingerprint(c)).collect();
        found.sort();
        checks.insert(table, found);
    }
    (columns, indexes, checks)
}

async fn postgres_schema(db: &Db) -> (Columns, Indexes, Checks) {
    let (mut columns, mut indexes, mut checks) = (Columns::new(), Indexes::new(), Checks::new());
    let rows = sqlx::query(
        "select c.table_name::text, c.column_name::text, c.data_type::text, c.is_nullable::text, c.column_default::text from information_schema.columns c \
         join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name \
         where c.table_schema = 'public' and t.table_type = 'BASE TABLE' and c.table_name <> '_sqlx_migrations'",
    )
    .fetch_all(&db.pool)
    .await
    .expect("columns");
    for c in rows {
        let column = (kind(&c.get::<String, _>(2)), c.get::<String, _>(3) == "YES", default_of(c.get(4)));
        columns.entry(c.get(0)).or_default().insert(c.get(1), column);
    }
    let rows = sqlx::query(
        "select t.relname::text, i.relname::text, ix.indisunique, ix.indpred is not null, \
           array_to_string(array(select coalesce(a.attname::text, '(expression)') from unnest(ix.indkey::int2[]) with ordinality k(attnum, ord) \
             left join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum order by k.ord), ',') \
         from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid join pg_namespace n on n.oid = t.relnamespace \
         where n.nspname = 'public' and not exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid)",
    )
    .fetch_all(&db.pool)
    .await
    .expect("indexes");
    for i in rows {
        let cols: String = i.get(4);
        indexes.insert((i.get(0), i.get(1)), (i.get(2), i.get(3), cols.split(',').map(str::to_string).collect()));
    }
    for table in columns.keys() {
        checks.insert(table.clone(), Vec::new());
    }
    let rows = sqlx::query("select conrelid::regclass::text, pg_get_constraintdef(oid) from pg_constraint where contype = 'c' and connamespace = 'public'::regnamespace")
        .fetch_all(&db.pool)
        .await
        .expect("checks");
    for c in rows {
        let def: String = c.get(1);
        checks.entry(c.get(0)).or_default().push(fingerprint(&def));
    }
    checks.values_mut().for_each(|v| v.sort());
    (columns, indexes, checks)
}

#[tokio::test]
async fn both_backends_migrate_to_the_same_schema() {
    if crate::helpers::backend_name() != "postgres" {
        eprintln!("LINLI_TEST_PG_URL not set: the schema comparison needs PostgreSQL, skipped");
        return;
    }
    let sqlite = crate::helpers::scratch_database(false).await;
    let postgres = crate::helpers::scratch_database(true).await;
    for db in [&sqlite.db, &postgres.db] {
        db.migrate().await.expect("migrate");
    }
    let (lite, pg) = (sqlite_schema(&sqlite.db).await, postgres_schema(&postgres.db).await);
    assert!(lite.0.len() > 30, "tables were read: {:?}", lite.0.keys());
    assert_eq!(lite.0.keys().collect::<Vec<_>>(), pg.0.keys().collect::<Vec<_>>(), "tables");
    for (table, cols) in &lite.0 {
        assert_eq!(Some(cols), pg.0.get(table), "columns of {table}: SQLite (left) and PostgreSQL (right)");
    }
    assert_eq!(lite.1, pg.1, "indexes: SQLite (left) and PostgreSQL (right)");
    assert_eq!(lite.2, pg.2, "checks: SQLite (left) and PostgreSQL (right)");
}

#[test]
fn checks_written_either_way_have_one_fingerprint() {
    assert_eq!(fingerprint("(qty between 1 and 99)"), fingerprint("CHECK (((qty >= 1) AND (qty <= 99)))"));
    assert_eq!(fingerprint("(status in ('open', 'done'))"), fingerprint("CHECK ((status = ANY (ARRAY['open'::text, 'done'::text])))"));
    assert_ne!(fingerprint("(status in ('open', 'done'))"), fingerprint("CHECK ((status = ANY (ARRAY['open'::text])))"));
    assert_eq!(sqlite_checks("create table t (a integer check (a > 0), b text, check (length(b) <= 60))"), vec!["(a > 0)", "(length(b) <= 60)"]);
    assert_eq!(default_of(Some("'pending'::text".into())), default_of(Some("'pending'".into())));
    assert_eq!(default_of(Some("nextval('t_id_seq'::regclass)".into())), None);
}
