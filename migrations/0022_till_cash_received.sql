-- 实收 at the till: what a resident handed over for a cash sale, so the receipt prints 实收 and
-- 找零. Null for wallet and QR sales, and for cash sales rung up without counting it.
alter table counter_sales add column cash_received_fen bigint;
