//! Product photos as staff upload them from a phone: checked and decoded under hard limits,
//! turned upright, and re-encoded at the two sizes the pages use. Nothing of the uploaded
//! file survives but its pixels, so EXIF (with the GPS position of the shop's back room) is
//! gone, and a file that is not really a picture never reaches a resident's browser.
use crate::shared::{AppError, ErrorCode};
use image::imageops::FilterType;
use image::{DynamicImage, ImageDecoder, ImageError, ImageFormat, ImageReader, Limits, RgbImage};
use std::io::Cursor;

/// The largest upload accepted (a phone's full-size photo is 2–8 MB).
pub const MAX_BYTES: usize = 10 * 1024 * 1024;
/// Longest side and total pixels a photo may claim in its header. Checked before any pixel is
/// decoded, so a 60000×60000 "decompression bomb" is refused having read a few bytes.
pub const MAX_SIDE: u32 = 10_000;
pub const MAX_PIXELS: u64 = 40_000_000;
/// Below this on the short side a photo is a thumbnail of something else, blurry on a card.
pub const MIN_SIDE: u32 = 200;
/// What the decoder may hold at once: a 40-megapixel RGBA frame with room to spare.
const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// The square on product cards and lists (shown at up to 240 CSS px, so 2× for sharp phones).
pub const CARD_SIDE: u32 = 480;
/// The product page's photo: the longest side at most this.
pub const LARGE_SIDE: u32 = 1280;
const JPEG_QUALITY: u8 = 80;

/// A photo ready to store: both sizes as JPEG, with their dimensions.
#[derive(Debug)]
pub struct Processed {
    pub card: Vec<u8>,
    pub card_size: (u32, u32),
    pub large: Vec<u8>,
    pub large_size: (u32, u32),
}

/// Checks, decodes and re-encodes an upload. CPU-bound: call it off the async runtime.
pub fn process(bytes: &[u8]) -> Result<Processed, AppError> {
    let photo = |code| AppError::field(code, "photo");
    if bytes.len() > MAX_BYTES {
        return Err(photo(ErrorCode::PhotoTooLarge));
    }
    // The format is read from the bytes, never from the file's name or declared type.
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| photo(ErrorCode::NotAnImage))?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(photo(ErrorCode::NotAnImage));
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    reader.limits(limits);
    // Reads the header only; the limits above are enforced by the decoder from here on.
    let mut decoder = reader.into_decoder().map_err(|e| photo(classify(&e)))?;
    let (w, h) = decoder.dimensions();
    if w > MAX_SIDE || h > MAX_SIDE || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(photo(ErrorCode::PhotoTooBig));
    }
    if w.min(h) < MIN_SIDE {
        return Err(photo(ErrorCode::PhotoTooSmall));
    }
    // A phone stores a portrait shot sideways plus an EXIF note to turn it; the note is
    // about to be dropped, so the turn is made now. A garbled note is ignored, not fatal.
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(|e| photo(classify(&e)))?;
    img.apply_orientation(orientation);

    let large = if img.width() > LARGE_SIDE || img.height() > LARGE_SIDE { img.resize(LARGE_SIDE, LARGE_SIDE, FilterType::CatmullRom) } else { img };
    // From the large picture, not the original: one pass over a phone's 12 megapixels, not two.
    let card = large.resize_to_fill(CARD_SIDE, CARD_SIDE, FilterType::CatmullRom);
    let (card, large) = (on_white(&card), on_white(&large));
    Ok(Processed { card_size: card.dimensions(), card: jpeg(&card)?, large_size: large.dimensions(), large: jpeg(&large)? })
}

fn classify(e: &ImageError) -> ErrorCode {
    match e {
        ImageError::Limits(_) => ErrorCode::PhotoTooBig,
        ImageError::Unsupported(_) => ErrorCode::NotAnImage,
        _ => ErrorCode::BrokenImage,
    }
}

/// JPEG has no transparency: a cut-out PNG sits on white (as on the cards), not on black.
fn on_white(img: &DynamicImage) -> RgbImage {
    if !img.color().has_alpha() {
        return img.to_rgb8();
    }
    let rgba = img.to_rgba8();
    RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let [r, g, b, a] = rgba.get_pixel(x, y).0;
        let over = |c: u8| ((u16::from(c) * u16::from(a) + 255 * (255 - u16::from(a))) / 255) as u8;
        image::Rgb([over(r), over(g), over(b)])
    })
}

fn jpeg(img: &RgbImage) -> Result<Vec<u8>, AppError> {
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).encode_image(img).map_err(|e| {
        tracing::error!(error = %e, "encoding a product photo");
        AppError::new(ErrorCode::Internal)
    })?;
    Ok(out)
}

/// Builders for pictures the tests upload (also used by the server's integration tests).
pub mod samples {
    use image::{ImageFormat, Rgb, RgbImage};
    use std::io::Cursor;

    /// A `w`×`h` picture with a gradient (so resizing has something to do) in `format`.
    pub fn picture(w: u32, h: u32, format: ImageFormat) -> Vec<u8> {
        let img = RgbImage::from_fn(w, h, |x, y| Rgb([(x * 255 / w.max(1)) as u8, (y * 255 / h.max(1)) as u8, 120]));
        let mut out = Cursor::new(Vec::new());
        match img.write_to(&mut out, format) {
            Ok(()) => out.into_inner(),
            Err(e) => panic!("encoding a sample picture: {e}"),
        }
    }

    /// A JPEG carrying an EXIF block like a phone's: orientation 6 (turn 90° clockwise) and a
    /// GPS tag whose bytes spell `GPS-SECRET`.
    pub fn phone_jpeg(w: u32, h: u32) -> Vec<u8> {
        let plain = picture(w, h, ImageFormat::Jpeg);
        // TIFF, big-endian: IFD0 with Orientation (0x0112) = 6 and a GPS IFD pointer
        // (0x8825) to an IFD with one ASCII tag.
        let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
        tiff.extend_from_slice(&[0, 2]);
        tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]);
        tiff.extend_from_slice(&[0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        // GPS IFD at offset 38: GPSLatitudeRef-ish ASCII tag pointing at the text after it.
        tiff.extend_from_slice(&[0, 1]);
        tiff.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 11, 0, 0, 0, 56]);
        tiff.extend_from_slice(&[0, 0, 0, 0]);
        tiff.extend_from_slice(b"GPS-SECRET\0");
        let mut app1 = b"Exif\0\0".to_vec();
        app1.extend_from_slice(&tiff);
        let len = (app1.len() + 2) as u16;
        let mut out = vec![0xFF, 0xD8, 0xFF, 0xE1];
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&app1);
        out.extend_from_slice(&plain[2..]);
        out
    }

    /// A valid small PNG whose header then claims `w`×`h` (CRC fixed, so only the size lies).
    pub fn png_claiming(w: u32, h: u32) -> Vec<u8> {
        let mut png = picture(8, 8, ImageFormat::Png);
        // Signature (8) + IHDR length (4) + "IHDR" (4): width and height follow.
        png[16..20].copy_from_slice(&w.to_be_bytes());
        png[20..24].copy_from_slice(&h.to_be_bytes());
        let crc = crc32(&png[12..29]);
        png[29..33].copy_from_slice(&crc.to_be_bytes());
        png
    }

    /// A valid small JPEG whose frame header then claims `w`×`h`.
    pub fn jpeg_claiming(w: u16, h: u16) -> Vec<u8> {
        let mut jpg = picture(8, 8, ImageFormat::Jpeg);
        if let Some(i) = jpg.windows(2).position(|m| m == [0xFF, 0xC0]) {
            jpg[i + 5..i + 7].copy_from_slice(&h.to_be_bytes());
            jpg[i + 7..i + 9].copy_from_slice(&w.to_be_bytes());
        }
        jpg
    }

    fn crc32(data: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for &b in data {
            crc ^= u32::from(b);
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }
}

#[cfg(test)]
mod tests {
    use super::samples::*;
    use super::*;

    fn code(r: Result<Processed, AppError>) -> Option<ErrorCode> {
        r.err().map(|e| e.code)
    }

    #[test]
    fn a_photo_comes_out_at_both_sizes_as_jpeg() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png, ImageFormat::WebP] {
            let p = process(&picture(2000, 1500, format)).map_err(|e| e.code);
            let Ok(p) = p else { panic!("{format:?} refused: {p:?}") };
            assert_eq!(p.card_size, (CARD_SIDE, CARD_SIDE));
            assert_eq!(p.large_size, (LARGE_SIDE, 960));
            assert_eq!(image::guess_format(&p.card).ok(), Some(ImageFormat::Jpeg));
            assert_eq!(image::load_from_memory(&p.large).map(|i| (i.width(), i.height())).ok(), Some((LARGE_SIDE, 960)));
        }
    }

    #[test]
    fn a_small_photo_is_not_blown_up() {
        let p = process(&picture(600, 400, ImageFormat::Png)).map_err(|e| e.code);
        assert_eq!(p.map(|p| (p.large_size, p.card_size)), Ok(((600, 400), (CARD_SIDE, CARD_SIDE))));
    }

    #[test]
    fn exif_and_gps_are_gone_and_the_photo_is_turned_upright() {
        let upload = phone_jpeg(400, 300);
        assert!(upload.windows(10).any(|w| w == b"GPS-SECRET"), "the sample carries the GPS text");
        let p = process(&upload).map_err(|e| e.code);
        let Ok(p) = p else { panic!("refused: {p:?}") };
        for out in [&p.card, &p.large] {
            assert!(!out.windows(4).any(|w| w == b"Exif"), "no EXIF block left");
            assert!(!out.windows(10).any(|w| w == b"GPS-SECRET"));
        }
        // Stored 400×300 with "turn 90°": the resident sees it 300 wide, 400 high.
        assert_eq!(p.large_size, (300, 400));
    }

    #[test]
    fn a_decompression_bomb_is_refused_from_its_header() {
        assert_eq!(code(process(&png_claiming(60_000, 60_000))), Some(ErrorCode::PhotoTooBig));
        assert_eq!(code(process(&jpeg_claiming(60_000, 60_000))), Some(ErrorCode::PhotoTooBig));
        // Within each side but too many pixels in all.
        assert_eq!(code(process(&png_claiming(9_000, 9_000))), Some(ErrorCode::PhotoTooBig));
    }

    #[test]
    fn what_is_not_a_picture_is_refused_by_its_bytes() {
        assert_eq!(code(process("这不是照片，只是文字 named photo.jpg".as_bytes())), Some(ErrorCode::NotAnImage));
        assert_eq!(code(process(b"")), Some(ErrorCode::NotAnImage));
        assert_eq!(code(process(b"GIF89a\x01\x00\x01\x00\x00\x00\x00;")), Some(ErrorCode::NotAnImage));
        // (A cut-off JPEG decodes with a grey tail, as browsers show it; a cut-off PNG cannot.)
        let mut cut = picture(800, 600, ImageFormat::Png);
        cut.truncate(cut.len() / 3);
        assert_eq!(code(process(&cut)), Some(ErrorCode::BrokenImage));
        assert_eq!(code(process(&picture(150, 600, ImageFormat::Png))), Some(ErrorCode::PhotoTooSmall));
        assert_eq!(code(process(&vec![0xFF; MAX_BYTES + 1])), Some(ErrorCode::PhotoTooLarge));
    }

    #[test]
    fn transparency_becomes_white() {
        let img = image::RgbaImage::from_pixel(300, 300, image::Rgba([0, 0, 0, 0]));
        let mut png = Cursor::new(Vec::new());
        assert!(img.write_to(&mut png, ImageFormat::Png).is_ok());
        let p = process(&png.into_inner()).map_err(|e| e.code);
        let Ok(p) = p else { panic!("refused: {p:?}") };
        let Ok(card) = image::load_from_memory(&p.card) else { panic!("card unreadable") };
        assert!(card.to_rgb8().get_pixel(10, 10).0.iter().all(|c| *c > 245));
    }
}
