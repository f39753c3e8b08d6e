//! The storefront: the home page's shelf and the product page, where the catalog meets the
//! resident's cart and the evening markdowns. It sits above catalog, cart and markdowns so that
//! none of them depends on another's pages.
pub mod api;
pub mod model;
pub mod pages;
pub mod widgets;
