-- Device cookies (OWASP's answer to lockout abuse): a browser that signed in as a phone
-- number before holds a random token for it; only the token's SHA-256 is kept. Such a browser
-- is limited by its own failure count, so a stranger guessing that number's password cannot
-- keep its owner out.
create table login_devices (
    token_hash text primary key,
    phone text not null,
    created_at_ms bigint not null,
    last_login_ms bigint not null
);
create index login_devices_age on login_devices (last_login_ms);
