//! The share poster: one SVG with the campaign's title, price, progress, dates and a QR code of
//! its link, sized for a phone screen (750×1200). The poster page turns it into a PNG in the
//! browser (whose fonts draw the Chinese) so it can be saved and sent to a group chat.
use super::model::GroupBuy;
use super::rules;
use crate::shared::time::local_clock;
use crate::shared::Fen;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// Breaks `s` into lines of at most `width` characters (Chinese has no spaces to break at).
fn lines(s: &str, width: usize, max_lines: usize) -> Vec<String> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<String> = chars.chunks(width).map(|c| c.iter().collect()).collect();
    if out.len() > max_lines {
        out.truncate(max_lines);
        if let Some(last) = out.last_mut() {
            last.pop();
            last.push('…');
        }
    }
    out
}

/// `svg` placed at (x, y), `size` px square: its root tag is rewritten (an XML tag may not
/// carry width twice), keeping its viewBox.
fn nest(svg: &str, x: u32, y: u32, size: u32) -> String {
    let Some(start) = svg.find("<svg") else {
        return String::new();
    };
    let Some(len) = svg[start..].find('>') else {
        return String::new();
    };
    let root = &svg[start..start + len];
    let view_box = root.split("viewBox=\"").nth(1).and_then(|v| v.split('"').next()).unwrap_or("0 0 100 100");
    format!(
        "<svg x=\"{x}\" y=\"{y}\" width=\"{size}\" height=\"{size}\" viewBox=\"{view_box}\" shape-rendering=\"crispEdges\">{}",
        &svg[start + len + 1..]
    )
}

/// The poster for `g`, its QR code pointing at `share_url` (`qr_svg`, as drawn by server::qr).
pub fn svg(g: &GroupBuy, share_url: &str, qr_svg: &str, store_line: &str) -> String {
    let (w, h) = (750, 1200);
    let font = "font-family=\"PingFang SC, Hiragino Sans GB, Microsoft YaHei, Noto Sans CJK SC, WenQuanYi Micro Hei, sans-serif\"";
    let mut o = format!("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" {font}>");
    o.push_str(&format!("<rect width=\"{w}\" height=\"{h}\" fill=\"#f6f7f5\"/><rect width=\"{w}\" height=\"220\" fill=\"#1f9d55\"/>"));
    o.push_str(&format!("<text x=\"48\" y=\"96\" font-size=\"40\" font-weight=\"700\" fill=\"#fff\">{}</text>", esc(store_line)));
    o.push_str("<text x=\"48\" y=\"156\" font-size=\"30\" fill=\"#e6f6ec\">邻居拼团 · 满户数才成团，不成团全额退款</text>");
    o.push_str("<rect x=\"32\" y=\"250\" width=\"686\" height=\"900\" rx=\"24\" fill=\"#fff\"/>");
    let mut y = 340;
    for line in lines(&g.title, 14, 2) {
        o.push_str(&format!("<text x=\"72\" y=\"{y}\" font-size=\"46\" font-weight=\"700\" fill=\"#111\">{}</text>", esc(&line)));
        y += 64;
    }
    y += 30;
    o.push_str(&format!(
        "<text x=\"72\" y=\"{y}\" fill=\"#e4393c\"><tspan font-size=\"36\">¥</tspan><tspan font-size=\"84\" font-weight=\"700\">{}</tspan><tspan font-size=\"30\" fill=\"#888\" dx=\"16\">/{}</tspan></text>",
        esc(Fen(g.price_fen).to_string().trim_start_matches('¥')),
        esc(&g.unit)
    ));
    if g.normal_price_fen > g.price_fen {
        o.push_str(&format!(
            "<text x=\"72\" y=\"{}\" font-size=\"30\" fill=\"#999\" text-decoration=\"line-through\">平时 {}</text>",
            y + 50,
            esc(&Fen(g.normal_price_fen).to_string())
        ));
    }
    y += 130;
    let pct = rules::percent(g.households, g.min_households);
    o.push_str(&format!("<text x=\"72\" y=\"{y}\" font-size=\"34\" fill=\"#111\">已拼 {}/{} 户</text>", g.households, g.min_households));
    let missing = rules::households_missing(g.households, g.min_households);
    if missing > 0 {
        o.push_str(&format!("<text x=\"678\" y=\"{y}\" font-size=\"30\" fill=\"#e4393c\" text-anchor=\"end\">还差{missing}户</text>"));
    }
    y += 28;
    o.push_str(&format!("<rect x=\"72\" y=\"{y}\" width=\"606\" height=\"20\" rx=\"10\" fill=\"#e8ece9\"/>"));
    o.push_str(&format!("<rect x=\"72\" y=\"{y}\" width=\"{}\" height=\"20\" rx=\"10\" fill=\"#1f9d55\"/>", 606 * pct / 100));
    y += 80;
    o.push_str(&format!("<text x=\"72\" y=\"{y}\" font-size=\"30\" fill=\"#444\">截止 {}</text>", esc(&local_clock(&g.deadline))));
    y += 50;
    o.push_str(&format!("<text x=\"72\" y=\"{y}\" font-size=\"30\" fill=\"#444\">提货 {} 到店自提</text>", esc(&g.pickup_date)));
    o.push_str(&nest(qr_svg, 235, 850, 280));
    o.push_str(&format!(
        "<text x=\"375\" y=\"1182\" font-size=\"24\" fill=\"#888\" text-anchor=\"middle\">长按识别二维码参团 · {}</text>",
        esc(share_url)
    ));
    o.push_str("</svg>");
    o
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_titles_wrap_and_end_with_an_ellipsis() {
        assert_eq!(lines("赣南脐橙", 14, 2), vec!["赣南脐橙"]);
        let l = lines(&"橙".repeat(40), 14, 2);
        assert_eq!(l.len(), 2);
        assert!(l[1].ends_with('…'));
        assert_eq!(esc("<a&\">"), "&lt;a&amp;&quot;&gt;");
    }

    #[test]
    fn a_nested_svg_keeps_one_width_and_its_view_box() {
        let qr = "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"297\" height=\"297\" viewBox=\"0 0 297 297\"><path d=\"M0 0h1\"/></svg>";
        let n = nest(qr, 1, 2, 280);
        assert_eq!(
            n,
            "<svg x=\"1\" y=\"2\" width=\"280\" height=\"280\" viewBox=\"0 0 297 297\" shape-rendering=\"crispEdges\"><path d=\"M0 0h1\"/></svg>"
        );
    }
}
