//! Attachment files (conversations, complaints): type checked by content (not by the name or
//! header the client sends), size limited, stored under a server-chosen name in the attachments
//! folder; an image's metadata removed where the sender must not be recognisable by it.

use img_parts::{DynImage, ImageEXIF};

/// Image or PDF, recognised by their first bytes.
pub fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.starts_with(b"%PDF-") {
        Some("application/pdf")
    } else {
        None
    }
}

/// A display name safe to echo back: no path, no control characters, at most 200 characters.
pub fn clean_file_name(raw: &str) -> String {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base.chars().filter(|c| !c.is_control() && *c != '"').take(200).collect();
    if cleaned.trim().is_empty() { "attachment".into() } else { cleaned.trim().to_owned() }
}

/// A stored file as a download: its type, saved under `name`, never sniffed into something the
/// browser would run.
pub fn download(name: &str, content_type: String, bytes: Vec<u8>) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(content_type)
        .insert_header(("Content-Disposition", content_disposition(name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .body(bytes)
}

/// `Content-Disposition` for a download under `name` (RFC 5987: any script, no quoting trouble).
fn content_disposition(name: &str) -> String {
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }
        })
        .collect();
    format!("attachment; filename*=UTF-8''{encoded}")
}

/// The image without what could say where, when or with what it was taken, or by whom: EXIF
/// (GPS position, time, camera serial), XMP and comments in JPEG; EXIF and text chunks in PNG;
/// EXIF and XMP in WebP. The pixels are untouched (no re-encoding). `None` for an image whose
/// container does not parse: it cannot be vouched for. A GIF or PDF is returned as it is (GIF
/// carries no position; a PDF's document properties stay, as the filer wrote them).
pub fn without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    match sniff(bytes)? {
        "image/jpeg" | "image/png" | "image/webp" => {}
        _ => return Some(bytes.to_vec()),
    }
    let mut image = DynImage::from_bytes(bytes.to_vec().into()).ok()??;
    image.set_exif(None);
    match &mut image {
        DynImage::Jpeg(jpeg) => {
            // APP1 holds EXIF and XMP, APP13 Photoshop's IPTC (bylines, places), COM free text.
            use img_parts::jpeg::markers::{APP1, APP13, COM};
            jpeg.segments_mut().retain(|s| ![APP1, APP13, COM].contains(&s.marker()));
        }
        DynImage::Png(png) => {
            png.chunks_mut().retain(|c| !matches!(&c.kind(), b"tEXt" | b"iTXt" | b"zTXt" | b"eXIf" | b"tIME"));
        }
        DynImage::WebP(webp) => {
            webp.remove_chunks_by_id(img_parts::webp::CHUNK_XMP);
        }
    }
    Some(image.encoder().bytes().to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_content() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"%PDF-1.7"), Some("application/pdf"));
        assert_eq!(sniff(b"MZ\x90\x00 an exe"), None);
        assert_eq!(sniff(b"<html>"), None);
    }

    /// A JPEG as a phone writes it: an EXIF segment (with a GPS position), a comment, then the image.
    fn photo_with_position() -> Vec<u8> {
        let segment = |marker: u8, body: &[u8]| {
            let mut s = vec![0xFF, marker];
            s.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
            s.extend_from_slice(body);
            s
        };
        let mut jpeg = vec![0xFF, 0xD8];
        jpeg.extend(segment(0xE0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        jpeg.extend(segment(0xE1, b"Exif\0\0GPS 31.2304N 121.4737E"));
        jpeg.extend(segment(0xFE, b"taken by Zhang Wei"));
        jpeg.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
        jpeg.extend([0x12, 0x34, 0x56, 0xFF, 0xD9]);
        jpeg
    }

    #[test]
    fn a_photos_position_and_comment_are_removed_and_its_image_kept() {
        let photo = photo_with_position();
        let clean = without_metadata(&photo).expect("a JPEG");
        let text = String::from_utf8_lossy(&clean);
        assert!(!text.contains("GPS") && !text.contains("Zhang"), "{text}");
        assert!(text.contains("JFIF"), "the image's own header stays");
        assert!(clean.ends_with(&[0x12, 0x34, 0x56, 0xFF, 0xD9]), "the scan is untouched");
        assert_eq!(sniff(&clean), Some("image/jpeg"));
    }

    #[test]
    fn an_image_that_does_not_parse_is_not_vouched_for_and_a_pdf_passes_as_it_is() {
        assert_eq!(without_metadata(b"\x89PNG\r\n\x1a\nnot really"), None);
        assert_eq!(without_metadata(b"%PDF-1.7 body").as_deref(), Some(&b"%PDF-1.7 body"[..]));
        assert_eq!(without_metadata(b"MZ an exe"), None);
    }

    #[test]
    fn a_download_name_is_percent_encoded() {
        assert_eq!(content_disposition("作业 1.pdf"), "attachment; filename*=UTF-8''%E4%BD%9C%E4%B8%9A%201.pdf");
    }

    #[test]
    fn file_names_lose_their_paths() {
        assert_eq!(clean_file_name("../../etc/passwd"), "passwd");
        assert_eq!(clean_file_name("C:\\Users\\a\\作业.pdf"), "作业.pdf");
        assert_eq!(clean_file_name(""), "attachment");
    }
}
