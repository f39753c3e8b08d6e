-- The back office edits the catalog: categories can be retired (hidden from the shelf,
-- kept for old orders), and a product has several photos. Each photo is stored as two
-- re-encoded media rows (the card square and the large one); the product's cover
-- (products.image_id) is one of its photos' card images.
alter table categories add column active boolean not null default true;

create table product_photos (
    id {{id}},
    product_id {{i64}} not null references products(id),
    card_media_id {{i64}} not null references media(id),
    large_media_id {{i64}} not null references media(id),
    position integer not null,
    created_by {{i64}} references users(id),
    created_at_ms bigint not null
);
create index product_photos_product on product_photos (product_id, position);
