//! The demo chain 绿源生活: three stores in Hangzhou, ~60 products, demo accounts.
//! Loaded only by `linli seed-demo` (and the README's run command), never by `serve`.
use linli_app::accounts::{service as accounts, Role};
use linli_app::catalog::store::{self as catalog, NewProduct};
use linli_app::inventory::store as inventory;
use linli_app::inventory::StockReason;
use linli_app::server::Db;
use linli_app::shared::AppError;
use linli_app::stores::model::{DeliveryFeeRule, FeeBand, PickupDiscount};
use linli_app::stores::store::{self as stores, NewStore};
use linli_app::wallet::model::EntryKind;
use linli_app::wallet::store::{move_money, Movement};

/// Every demo account's password (listed in the README).
pub const DEMO_PASSWORD: &str = "linli1234";

/// The note on each store's opening stock (a delivery like any other in the ledger).
pub const OPENING_NOTE: &str = "开业备货";

const CATEGORIES: &[(&str, &str, &str, &str)] = &[
    // slug, 中文, English, tile colour
    ("vegetables", "蔬菜", "Vegetables", "#dff3e4"),
    ("fruit", "水果", "Fruit", "#ffe9d6"),
    ("meat-eggs", "肉禽蛋", "Meat & eggs", "#fde2e2"),
    ("seafood", "水产", "Seafood", "#dcecfb"),
    ("dairy", "乳品", "Dairy", "#f3f0ff"),
    ("grain-oil", "粮油", "Rice, flour & oil", "#fbf1d3"),
    ("paper", "纸品", "Paper goods", "#eef1f4"),
    ("seasoning", "调味品", "Seasonings", "#f6e7dc"),
    ("bundles", "套餐", "Meal kits", "#e3f1f6"),
];

/// A bundle's parts: (product name, quantity).
type Parts = &'static [(&'static str, i64)];

/// Scenario bundles: name, spec, price (fen, below the parts), description, parts.
const BUNDLES: &[(&str, &str, i64, &str, Parts)] = &[
    ("番茄炒蛋快手晚餐", "3样/套", 2180, "西红柿、土鸡蛋、上海青，十分钟上桌的两菜一汤。", &[("寿光西红柿", 1), ("安吉土鸡蛋", 1), ("上海青", 1)]),
    ("周末烧烤套餐", "4样/套", 4580, "五花肉、鸡胸肉、长茄子、香菇，够3–4人烤一晚。", &[("两头乌五花肉", 1), ("鸡胸肉", 1), ("长茄子", 1), ("古田香菇", 1)]),
    ("清蒸鲈鱼套餐", "2样/套", 3380, "当天活鲈鱼配绍兴料酒，门店可代杀。", &[("活鲈鱼", 1), ("绍兴料酒", 1)]),
];

/// category, name, spec, price (fen), origin, producer, shelf life (days), tags
type Item = (&'static str, &'static str, &'static str, i64, &'static str, &'static str, i64, &'static str);

const PRODUCTS: &[Item] = &[
    ("vegetables", "寿光西红柿", "500g/份", 498, "山东寿光", "寿光田园蔬菜合作社", 5, "今日到货"),
    ("vegetables", "水果黄瓜", "500g/份", 358, "山东寿光", "寿光田园蔬菜合作社", 4, ""),
    ("vegetables", "上海青", "400g/份", 298, "杭州萧山", "萧山瓜沥农场", 2, "本地直供,今日到货"),
    ("vegetables", "黄心土豆", "1kg/份", 398, "内蒙古乌兰察布", "察右后旗薯业", 20, ""),
    ("vegetables", "胡萝卜", "500g/份", 258, "河北张家口", "坝上蔬菜基地", 14, ""),
    ("vegetables", "西兰花", "1颗(约400g)", 598, "浙江台州", "台州三门农场", 4, ""),
    ("vegetables", "菠菜", "300g/份", 398, "杭州余杭", "余杭径山蔬菜园", 2, "本地直供,今日到货"),
    ("vegetables", "长茄子", "500g/份", 428, "浙江温岭", "温岭箬横基地", 4, ""),
    ("vegetables", "古田香菇", "250g/盒", 680, "福建古田", "古田菌业合作社", 5, "有机"),
    ("vegetables", "胶州大白菜", "1颗(约2kg)", 598, "山东胶州", "胶州里岔农场", 10, ""),
    ("fruit", "洛川红富士", "1kg/份", 1280, "陕西洛川", "洛川苹果合作社", 20, ""),
    ("fruit", "香蕉", "1kg/份", 698, "云南西双版纳", "勐腊香蕉园", 5, ""),
    ("fruit", "武鸣砂糖橘", "1.5kg/份", 1580, "广西武鸣", "武鸣沃柑基地", 15, "今日到货"),
    ("fruit", "建德草莓", "300g/盒", 2990, "浙江建德", "建德杨村桥草莓园", 3, "本地直供"),
    ("fruit", "周至猕猴桃", "6个/盒", 1990, "陕西周至", "周至猕猴桃合作社", 15, ""),
    ("fruit", "阳光玫瑰葡萄", "500g/份", 2580, "云南宾川", "宾川葡萄园", 7, ""),
    ("fruit", "蒲江丑橘", "1kg/份", 1380, "四川蒲江", "蒲江柑橘协会", 15, ""),
    ("fruit", "麒麟西瓜", "1/4个(约2kg)", 1280, "海南乐东", "乐东西瓜基地", 3, ""),
    ("fruit", "澄江蓝莓", "125g/盒", 1590, "云南澄江", "澄江蓝莓庄园", 7, "有机"),
    ("meat-eggs", "两头乌五花肉", "500g/份", 2680, "浙江金华", "金华两头乌养殖场", 3, "今日到货"),
    ("meat-eggs", "猪里脊", "400g/份", 1980, "浙江金华", "金华两头乌养殖场", 3, ""),
    ("meat-eggs", "鸡胸肉", "500g/份", 1280, "山东诸城", "诸城外贸食品", 3, ""),
    ("meat-eggs", "萧山三黄鸡", "1只(约1.2kg)", 4980, "杭州萧山", "萧山进化镇养鸡场", 2, "本地直供"),
    ("meat-eggs", "安吉土鸡蛋", "10枚/盒", 1680, "浙江安吉", "安吉竹林散养鸡场", 20, "有机"),
    ("meat-eggs", "锡盟牛腩", "500g/份", 4980, "内蒙古锡林郭勒", "锡林郭勒草原牧业", 4, ""),
    ("meat-eggs", "精选肋排", "500g/份", 3680, "浙江嘉兴", "嘉兴青莲食品", 3, ""),
    ("meat-eggs", "高邮鸭蛋", "6枚/盒", 990, "江苏高邮", "高邮湖禽蛋合作社", 25, ""),
    ("seafood", "活鲈鱼", "1条(约600g)", 2980, "广东珠海", "斗门鲈鱼养殖场", 1, "今日到货"),
    ("seafood", "基围虾", "300g/盒", 3980, "浙江舟山", "舟山水产合作社", 1, ""),
    ("seafood", "舟山带鱼段", "500g/份", 3280, "浙江舟山", "沈家门渔港", 3, ""),
    ("seafood", "霞浦花蛤", "500g/份", 1280, "福建霞浦", "霞浦滩涂养殖场", 1, ""),
    ("seafood", "洪湖鲫鱼", "1条(约400g)", 1580, "湖北洪湖", "洪湖渔业合作社", 1, ""),
    ("seafood", "三文鱼块", "200g/盒", 4580, "挪威", "冰鲜空运进口", 3, ""),
    ("seafood", "舟山梭子蟹", "500g/份", 5980, "浙江舟山", "沈家门渔港", 1, "今日到货"),
    ("seafood", "荣成海带结", "300g/袋", 580, "山东荣成", "荣成海洋食品", 7, ""),
    ("dairy", "鲜牛奶", "950ml/瓶", 1680, "浙江杭州", "杭州双峰牧场", 7, "今日到货"),
    ("dairy", "原味酸奶", "100g×8杯", 1990, "内蒙古呼和浩特", "草原乳业", 21, ""),
    ("dairy", "低脂纯牛奶", "250ml×12盒", 3990, "内蒙古呼和浩特", "草原乳业", 180, ""),
    ("dairy", "希腊酸奶", "135g/杯", 990, "上海", "上海乳品厂", 21, ""),
    ("dairy", "车达奶酪片", "10片/袋", 2280, "上海", "上海乳品厂", 90, ""),
    ("dairy", "现磨豆浆", "500ml/瓶", 450, "浙江杭州", "门店现磨", 1, "本地直供,今日到货"),
    ("grain-oil", "五常大米", "5kg/袋", 3990, "黑龙江五常", "五常稻花香合作社", 365, ""),
    ("grain-oil", "高筋面粉", "2.5kg/袋", 1980, "河南新乡", "新乡面粉厂", 270, ""),
    ("grain-oil", "压榨花生油", "5L/桶", 8990, "山东临沂", "临沂油脂厂", 540, ""),
    ("grain-oil", "菜籽油", "5L/桶", 6990, "四川德阳", "德阳粮油", 540, ""),
    ("grain-oil", "鸡蛋挂面", "1kg/袋", 990, "河南许昌", "许昌面业", 365, ""),
    ("grain-oil", "沁州黄小米", "1kg/袋", 1580, "山西沁县", "沁州黄小米集团", 365, ""),
    ("grain-oil", "圆糯米", "1kg/袋", 1280, "江苏盐城", "射阳大米厂", 365, ""),
    ("paper", "抽纸", "3层130抽×10包", 2990, "浙江杭州", "杭州纸业", 1095, ""),
    ("paper", "卷纸", "4层×10卷", 3290, "浙江杭州", "杭州纸业", 1095, ""),
    ("paper", "厨房纸", "2卷/提", 1290, "浙江杭州", "杭州纸业", 1095, ""),
    ("paper", "婴儿湿巾", "80片/包", 890, "福建晋江", "晋江卫品", 730, ""),
    ("paper", "加厚垃圾袋", "50只/卷", 690, "浙江义乌", "义乌塑业", 1095, ""),
    ("seasoning", "特级生抽", "500ml/瓶", 890, "广东佛山", "佛山酱园", 540, ""),
    ("seasoning", "镇江香醋", "500ml/瓶", 750, "江苏镇江", "镇江醋业", 720, ""),
    ("seasoning", "绍兴料酒", "500ml/瓶", 680, "浙江绍兴", "绍兴黄酒厂", 720, ""),
    ("seasoning", "未加碘海盐", "400g/袋", 250, "山东潍坊", "潍坊盐业", 1095, ""),
    ("seasoning", "白砂糖", "500g/袋", 590, "广西南宁", "南宁糖业", 720, ""),
    ("seasoning", "蚝油", "520g/瓶", 1180, "广东江门", "江门调味品", 540, ""),
    ("seasoning", "郫县豆瓣酱", "500g/瓶", 1280, "四川郫县", "郫县豆瓣厂", 720, ""),
];

struct DemoStore {
    name: &'static str,
    address: &'static str,
    phone: &'static str,
    lat: f64,
    lng: f64,
    discount: PickupDiscount,
}

/// How many stores the demo chain opens with.
pub const STORE_COUNT: usize = 3;

const STORES: [DemoStore; STORE_COUNT] = [
    DemoStore { name: "绿源生活·文三路店", address: "杭州市西湖区文三路398号", phone: "0571-88210001", lat: 30.2786, lng: 120.1283, discount: PickupDiscount::Fixed { fen: 300, min_goods_fen: 2000 } },
    DemoStore { name: "绿源生活·古墩路店", address: "杭州市西湖区古墩路616号", phone: "0571-88210002", lat: 30.3010, lng: 120.1000, discount: PickupDiscount::Percent { pct: 5, min_goods_fen: 0 } },
    DemoStore { name: "绿源生活·庆春路店", address: "杭州市上城区庆春路136号", phone: "0571-88210003", lat: 30.2610, lng: 120.1700, discount: PickupDiscount::Fixed { fen: 500, min_goods_fen: 3000 } },
];

/// Estates and streets around the demo stores (and one across the river, beyond every
/// store's delivery radius).
const COMMUNITIES: [(&str, &str, f64, f64); 14] = [
    ("嘉绿苑", "文三路", 30.2831, 120.1262),
    ("文三新村", "文三路", 30.2772, 120.1331),
    ("翠苑一区", "文一西路", 30.2858, 120.1228),
    ("古荡新村", "天目山路", 30.2752, 120.1195),
    ("学院路", "学院路", 30.2801, 120.1352),
    ("益乐新村", "古墩路", 30.2949, 120.1052),
    ("和家园", "古墩路", 30.3082, 120.0978),
    ("亲亲家园", "丰潭路", 30.2988, 120.0936),
    ("申花路", "申花路", 30.3051, 120.1041),
    ("马市街小区", "庆春路", 30.2621, 120.1762),
    ("菜市桥", "庆春路", 30.2642, 120.1779),
    ("大学路新村", "大学路", 30.2579, 120.1662),
    ("庆春路", "庆春路", 30.2609, 120.1688),
    ("星耀城", "滨江区", 30.2101, 120.2102),
];

/// A square product tile drawn here (no downloads): the category's colour and the name.
fn tile_svg(name: &str, unit: &str, colour: &str) -> String {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let size = match name.chars().count() {
        0..=3 => 72,
        4 => 60,
        5 => 50,
        _ => 42,
    };
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400"><rect width="400" height="400" fill="{colour}"/><circle cx="200" cy="170" r="120" fill="#ffffff" opacity="0.55"/><text x="200" y="190" text-anchor="middle" font-family="PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="{size}" font-weight="600" fill="#23352a">{}</text><text x="200" y="340" text-anchor="middle" font-family="PingFang SC, Noto Sans CJK SC, Microsoft YaHei, sans-serif" font-size="30" fill="#4b5b52">{}</text></svg>"##,
        esc(name),
        esc(unit)
    )
}

/// Deterministic "random" stock so the three stores differ, with a few items sold out and
/// a few nearly gone, as a real evening shelf has.
fn demo_stock(store_ix: usize, product_ix: usize) -> i64 {
    let h = (store_ix as u64 + 1).wrapping_mul(2_654_435_761) ^ (product_ix as u64 + 7).wrapping_mul(40_503);
    match h % 17 {
        0 => 0,
        1 | 2 => (h % 5) as i64 + 1,
        _ => 8 + (h % 60) as i64,
    }
}

/// Loads the demo chain unless a chain exists already. Returns whether it loaded anything.
pub async fn seed(db: &Db) -> Result<bool, AppError> {
    if stores::chain_id(&db.pool).await?.is_some() {
        return Ok(false);
    }
    let today = time::OffsetDateTime::now_utc().date();
    let mut tx = db.begin_write().await?;
    let chain = stores::insert_chain(&mut tx, "绿源生活").await?;
    let fee = DeliveryFeeRule { bands: vec![FeeBand { up_to_m: 1500, fee_fen: 300 }, FeeBand { up_to_m: 3000, fee_fen: 500 }] };
    let mut store_ids = Vec::new();
    for s in &STORES {
        let id = stores::insert_store(
            &mut tx,
            chain,
            &NewStore {
                name: s.name,
                address: s.address,
                phone: s.phone,
                lat: s.lat,
                lng: s.lng,
                opens_at: "07:00",
                closes_at: "22:00",
                pickup_from: "09:00",
                pickup_until: "21:30",
                delivery_radius_m: 3000,
                min_order_fen: 2900,
                delivery_fee_rule: &fee,
                pickup_discount: s.discount,
            },
        )
        .await?;
        store_ids.push(id);
    }
    for (name, district, lat, lng) in COMMUNITIES {
        stores::insert_community(&mut tx, chain, name, district, lat, lng).await?;
    }
    let mut category_ids = std::collections::HashMap::new();
    for (sort, (slug, zh, en, _)) in CATEGORIES.iter().enumerate() {
        category_ids.insert(*slug, catalog::insert_category(&mut tx, chain, slug, zh, en, sort as i64).await?);
    }
    let mut product_ids = std::collections::HashMap::new();
    for (pix, (cat, name, unit, price, origin, producer, shelf, tags)) in PRODUCTS.iter().enumerate() {
        let colour = CATEGORIES.iter().find(|c| c.0 == *cat).map(|c| c.3).unwrap_or("#eeeeee");
        let image = catalog::insert_media(&mut tx, "image/svg+xml", tile_svg(name, unit, colour).as_bytes(), Some((400, 400))).await?;
        let harvested = today - time::Duration::days(if *shelf <= 3 { 0 } else { (pix % 5) as i64 + 1 });
        let id = catalog::insert_product(
            &mut tx,
            chain,
            &NewProduct {
                category_id: category_ids[cat],
                name,
                unit,
                price_fen: *price,
                origin,
                producer,
                harvest_date: Some(&harvested.to_string()),
                shelf_life_days: Some(*shelf),
                description: "",
                tags,
                image_id: Some(image),
                store_pricing: false,
            },
        )
        .await?;
        for (six, sid) in store_ids.iter().enumerate() {
            let on_hand = demo_stock(six, pix);
            if on_hand > 0 {
                // Opening stock is a delivery like any other, so the ledger sums to the shelf.
                let m = inventory::Move { store_id: *sid, product_id: id, delta: on_hand, reason: StockReason::Receive, note: OPENING_NOTE, by_user_id: None, order_id: None, sale_id: None };
                inventory::apply(&mut tx, &m).await?;
            }
        }
        product_ids.insert(*name, id);
    }
    // Bundles have no stock of their own: their parts' stock is theirs.
    let colour = CATEGORIES.iter().find(|c| c.0 == "bundles").map(|c| c.3).unwrap_or("#eeeeee");
    for (name, unit, price, description, parts) in BUNDLES {
        let image = catalog::insert_media(&mut tx, "image/svg+xml", tile_svg(name, unit, colour).as_bytes(), Some((400, 400))).await?;
        let id = catalog::insert_product(
            &mut tx,
            chain,
            &NewProduct {
                category_id: category_ids["bundles"],
                name,
                unit,
                price_fen: *price,
                origin: "门店搭配",
                producer: "绿源生活",
                harvest_date: None,
                shelf_life_days: Some(1),
                description,
                tags: "场景套餐",
                image_id: Some(image),
                store_pricing: false,
            },
        )
        .await?;
        for (part, qty) in *parts {
            let part_id = product_ids.get(part).copied().ok_or_else(|| AppError::internal(format!("bundle part {part} missing")))?;
            catalog::insert_bundle_item(&mut tx, id, part_id, *qty).await?;
        }
    }
    tx.commit().await?;

    let people: Vec<(String, &str, Role, Option<i64>)> = {
        let mut v = vec![("13900000000".to_string(), "陈建国", Role::Owner, None)];
        for (i, sid) in store_ids.iter().enumerate() {
            v.push((format!("1390000001{}", i + 1), ["刘店长", "周店长", "吴店长"][i], Role::Manager, Some(*sid)));
            v.push((format!("1390000002{}", i + 1), ["小赵", "小钱", "小孙"][i], Role::Staff, Some(*sid)));
        }
        v.push(("13900000031".to_string(), "骑手老马", Role::Rider, Some(store_ids[0])));
        for (i, name) in ["王阿姨", "李先生", "张女士"].iter().enumerate() {
            v.push((format!("1380000000{}", i + 1), name, Role::Resident, None));
        }
        v
    };
    let mut owner = None;
    for (phone, name, role, store) in people {
        let id = accounts::create_user_with_role(db, &phone, DEMO_PASSWORD, name, role, store).await?;
        if role == Role::Owner {
            owner = Some(id);
        }
        if role == Role::Resident {
            linli_app::accounts::store::set_home_store(&db.pool, id, store_ids[0]).await?;
            // 张女士 has topped up ¥200 at the counter, so wallet payment can be tried.
            if phone == "13800000003" {
                let mut tx = db.begin_write().await?;
                let m = Movement { user_id: id, amount_fen: 20_000, kind: EntryKind::TopUp, by_user_id: owner, store_id: Some(store_ids[0]), order_id: None, sale_id: None };
                move_money(&mut tx, &m).await?;
                tx.commit().await?;
            }
        }
    }
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_catalog_is_about_sixty_products_in_every_category() {
        assert!((55..=70).contains(&PRODUCTS.len()));
        for (slug, ..) in CATEGORIES.iter().filter(|c| c.0 != "bundles") {
            assert!(PRODUCTS.iter().filter(|p| p.0 == *slug).count() >= 4, "{slug}");
        }
        assert!(PRODUCTS.iter().all(|p| CATEGORIES.iter().any(|c| c.0 == p.0)));
    }

    #[test]
    fn bundles_are_made_of_demo_products_and_cost_less_than_their_parts() {
        for (name, _, price, _, parts) in BUNDLES {
            let mut sum = 0;
            for (part, qty) in *parts {
                let p = PRODUCTS.iter().find(|p| p.1 == *part).unwrap_or_else(|| panic!("{name}: {part} missing"));
                sum += p.3 * qty;
            }
            assert!(*price < sum, "{name}: {price} vs {sum}");
        }
    }

    #[test]
    fn demo_stock_has_sold_out_and_low_items() {
        let levels: Vec<i64> = (0..PRODUCTS.len()).map(|p| demo_stock(0, p)).collect();
        assert!(levels.contains(&0));
        assert!(levels.iter().any(|n| (1..=5).contains(n)));
        assert!(levels.iter().filter(|n| **n > 5).count() > PRODUCTS.len() / 2);
    }

    #[test]
    fn tiles_escape_their_text() {
        assert!(tile_svg("A&B<", "1", "#fff").contains("A&amp;B&lt;"));
    }
}
