//! How long a product photo takes to check, decode, turn, resize and re-encode, and what it
//! weighs after: `cargo run -p linli --release --example photo_bench` (see README →
//! Performance). Prints one line per size of upload.
use image::ImageFormat;
use linli_app::catalog::photos::{process, samples};
use std::time::Instant;

fn main() {
    for (w, h) in [(1280, 960), (3000, 4000), (4000, 3000), (6000, 8000)] {
        let upload = samples::picture(w, h, ImageFormat::Jpeg);
        let runs = 5;
        let start = Instant::now();
        let mut out = None;
        for _ in 0..runs {
            out = Some(process(&upload));
        }
        let per = start.elapsed().as_secs_f64() * 1000.0 / f64::from(runs);
        match out {
            Some(Ok(p)) => println!(
                "{w}x{h} JPEG {:>6} KB -> card {:>3} KB + large {:>4} KB ({}x{}): {per:>6.0} ms per photo",
                upload.len() / 1024,
                p.card.len() / 1024,
                p.large.len() / 1024,
                p.large_size.0,
                p.large_size.1
            ),
            Some(Err(e)) => println!("{w}x{h}: refused {}", e.code.as_str()),
            None => {}
        }
    }
    let bomb = samples::png_claiming(60_000, 60_000);
    let start = Instant::now();
    let refused = process(&bomb).err().map(|e| e.code.as_str());
    println!("60000x60000 PNG header ({} bytes): {refused:?} in {:.2} ms", bomb.len(), start.elapsed().as_secs_f64() * 1000.0);
}
