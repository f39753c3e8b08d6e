//! The dashboard's charts, drawn on the server as SVG with plotters (server build only: the
//! browser receives markup, never the charting code). 360 px wide, scaled to the screen by
//! CSS through the viewBox; the legend and figures are HTML around them (a table under each
//! chart is what screen readers read), so the SVG holds only numbers and dates.
use plotters::coord::types::{RangedCoordf64, RangedCoordusize};
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::Shift;
use plotters::prelude::*;

const SIZE: (u32, u32) = (360, 220);
/// The series colours: the site's green, then orange, blue and purple (style/main.css).
const COLOURS: [RGBColor; 4] = [RGBColor(0x2e, 0x9e, 0x5b), RGBColor(0xf2, 0x8c, 0x28), RGBColor(0x3b, 0x7d, 0xd8), RGBColor(0x8e, 0x5c, 0xc4)];
const GRID: RGBColor = RGBColor(0xe6, 0xe6, 0xe6);
const INK: RGBColor = RGBColor(0x55, 0x55, 0x55);

/// A series' colour, for the HTML legend ("#2e9e5b").
pub fn colour(i: usize) -> String {
    let RGBColor(r, g, b) = COLOURS[i % COLOURS.len()];
    format!("#{r:02x}{g:02x}{b:02x}")
}

fn nice_max(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let step = 10f64.powf(v.log10().floor());
    (v / step).ceil() * step
}

/// Every n-th label, so at most ~7 fit across 360 px.
fn sparse(labels: &[String], i: usize) -> String {
    let every = labels.len().div_ceil(7).max(1);
    if i % every == 0 { labels.get(i).cloned().unwrap_or_default() } else { String::new() }
}

fn axis_number(v: f64) -> String {
    if v >= 10_000.0 { format!("{:.0}k", v / 1000.0) } else { format!("{v:.0}") }
}

type DayChart<'a, 'b> = ChartContext<'a, SVGBackend<'b>, Cartesian2d<SegmentedCoord<RangedCoordusize>, RangedCoordf64>>;

/// A chart over the days (one slot per label) from 0 to a round number above `top`, its
/// axes drawn.
fn day_chart<'a, 'b>(root: &'a DrawingArea<SVGBackend<'b>, Shift>, labels: &[String], top: f64) -> Result<DayChart<'a, 'b>, Box<dyn std::error::Error>> {
    let n = labels.len().max(1);
    let mut chart = ChartBuilder::on(root).margin(6).x_label_area_size(22).y_label_area_size(40).build_cartesian_2d((0..n).into_segmented(), 0.0..nice_max(top))?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(WHITE)
        .bold_line_style(GRID)
        .axis_style(INK)
        .x_labels(n)
        .x_label_formatter(&|x| match x {
            SegmentValue::CenterOf(i) => sparse(labels, *i),
            _ => String::new(),
        })
        .y_labels(5)
        .y_label_formatter(&|v| axis_number(*v))
        .label_style(("sans-serif", 11).into_font().color(&INK))
        .draw()?;
    Ok(chart)
}

/// Bars per day, stacked by series (sales by channel).
pub fn stacked_bars(labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let n = labels.len().max(1);
        let top = (0..n).map(|i| series.iter().map(|(_, v)| v.get(i).copied().unwrap_or(0.0)).sum::<f64>()).fold(0.0, f64::max);
        let mut chart = day_chart(&root, labels, top)?;
        for i in 0..n {
            let mut base = 0.0;
            for (k, (_, values)) in series.iter().enumerate() {
                let v = values.get(i).copied().unwrap_or(0.0);
                if v <= 0.0 {
                    continue;
                }
                let mut bar = Rectangle::new([(SegmentValue::Exact(i), base), (SegmentValue::Exact(i + 1), base + v)], COLOURS[k % COLOURS.len()].filled());
                bar.set_margin(0, 0, 1, 1);
                chart.draw_series(std::iter::once(bar))?;
                base += v;
            }
        }
        root.present()?;
        Ok(())
    })().map_err(|e| e.to_string());
    finish(svg, drawn)
}

/// A line per series over the days (pickup and delivery orders).
pub fn lines(labels: &[String], series: &[(String, Vec<f64>)]) -> String {
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let top = series.iter().flat_map(|(_, v)| v.iter().copied()).fold(0.0, f64::max);
        let mut chart = day_chart(&root, labels, top)?;
        for (k, (_, values)) in series.iter().enumerate() {
            let colour = COLOURS[k % COLOURS.len()];
            let points: Vec<_> = values.iter().enumerate().map(|(i, v)| (SegmentValue::CenterOf(i), *v)).collect();
            chart.draw_series(LineSeries::new(points.clone(), colour.stroke_width(2)))?;
            chart.draw_series(points.into_iter().map(|p| Circle::new(p, 2, colour.filled())))?;
        }
        root.present()?;
        Ok(())
    })().map_err(|e| e.to_string());
    finish(svg, drawn)
}

/// Horizontal bars, ranked (top products by sales); bars are numbered, the names are in the
/// table below.
pub fn bars(items: &[(String, f64)]) -> String {
    let mut svg = String::new();
    let drawn = (|| -> Result<(), Box<dyn std::error::Error>> {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE)?;
        let n = items.len().max(1);
        let top = items.iter().map(|(_, v)| *v).fold(0.0, f64::max);
        let mut chart = ChartBuilder::on(&root).margin(6).x_label_area_size(22).y_label_area_size(24).build_cartesian_2d(0.0..nice_max(top), (0..n).into_segmented())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .light_line_style(WHITE)
            .bold_line_style(GRID)
            .axis_style(INK)
            .y_labels(n)
            .y_label_formatter(&|y| match y {
                SegmentValue::CenterOf(i) => (n - i).to_string(),
                _ => String::new(),
            })
            .x_labels(5)
            .x_label_formatter(&|v| axis_number(*v))
            .label_style(("sans-serif", 11).into_font().color(&INK))
            .draw()?;
        // The first is drawn at the top.
        chart.draw_series(items.iter().enumerate().map(|(i, (_, v))| {
            let row = n - 1 - i;
            let mut bar = Rectangle::new([(0.0, SegmentValue::Exact(row)), (*v, SegmentValue::Exact(row + 1))], COLOURS[0].filled());
            bar.set_margin(2, 2, 0, 0);
            bar
        }))?;
        root.present()?;
        Ok(())
    })().map_err(|e| e.to_string());
    finish(svg, drawn)
}

fn finish(svg: String, drawn: Result<(), String>) -> String {
    match drawn {
        Ok(()) => svg,
        Err(e) => {
            // The table under the chart still has every figure.
            tracing::warn!(error = %e, "chart not drawn");
            String::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_are_svg_that_scale() {
        let labels: Vec<String> = (1..=7).map(|d| format!("12-0{d}")).collect();
        let svg = stacked_bars(&labels, &[("till".into(), vec![1.0, 2.0, 0.0, 4.0, 5.0, 6.0, 7.0]), ("shop".into(), vec![1.0; 7])]);
        assert!(svg.starts_with("<svg") && svg.contains("viewBox") && svg.contains("<rect"), "{svg}");
        assert!(svg.contains("12-01"));
        let svg = lines(&labels, &[("pickup".into(), vec![3.0; 7])]);
        assert!(svg.contains("<polyline") || svg.contains("<path"), "{svg}");
        let svg = bars(&[("a".into(), 10.0), ("b".into(), 5.0)]);
        assert!(svg.contains("<rect"));
        // Nothing to draw still gives an empty chart, not an error.
        assert!(stacked_bars(&[], &[]).starts_with("<svg"));
    }
}
