//! Attachment files (conversations, complaints): type checked by content (not by the name or
//! header the client sends), size limited, stored under a server-chosen name in the attachments
//! folder; an image's metadata removed where the sender must not be recognisable by it.

use img_parts::DynImage;

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

/// The image without what could say where, when or with what it was taken, or by whom. JPEG keeps
/// only the segments an image needs (JFIF, the colour profile, Adobe's colour transform, tables,
/// frames, scans) and ends at its end-of-image marker: EXIF, XMP, IPTC, maker notes, comments, the
/// second picture of a multi-picture file and a motion photo's appended video are gone. PNG loses
/// its text, EXIF and time chunks; WebP its EXIF and XMP chunks. The pixels are untouched (no
/// re-encoding). `None` for an image whose container does not parse (a malformed file can make the
/// parser fail in any way, so it runs guarded): it cannot be vouched for. A GIF or PDF is returned
/// as it is: the caller decides who may see those.
pub fn without_metadata(bytes: &[u8]) -> Option<Vec<u8>> {
    match sniff(bytes)? {
        "image/jpeg" | "image/png" | "image/webp" => {}
        _ => return Some(bytes.to_vec()),
    }
    std::panic::catch_unwind(|| clean_image(bytes)).ok().flatten()
}

fn clean_image(bytes: &[u8]) -> Option<Vec<u8>> {
    match DynImage::from_bytes(bytes.to_vec().into()).ok()?? {
        DynImage::Jpeg(mut jpeg) => {
            use img_parts::jpeg::markers::{APP0, APP2, APP14};
            jpeg.segments_mut().retain(|s| match s.marker() {
                APP0 | APP14 => true,
                APP2 => s.contents().starts_with(b"ICC_PROFILE\0"),
                // Every other APPn (EXIF, XMP, MPF, IPTC, maker notes…) and comments (COM).
                m => !(0xE0..=0xEF).contains(&m) && m != 0xFE,
            });
            Some(to_end_of_image(&jpeg.encoder().bytes()))
        }
        DynImage::Png(mut png) => {
            png.chunks_mut().retain(|c| !matches!(&c.kind(), b"tEXt" | b"iTXt" | b"zTXt" | b"eXIf" | b"tIME"));
            Some(png.encoder().bytes().to_vec())
        }
        DynImage::WebP(mut webp) => {
            // Chunk by chunk: rebuilding the header (what `set_exif` does) needs the image's
            // dimensions, which a crafted file does not give.
            webp.remove_chunks_by_id(img_parts::webp::CHUNK_EXIF);
            webp.remove_chunks_by_id(img_parts::webp::CHUNK_XMP);
            Some(webp.encoder().bytes().to_vec())
        }
    }
}

/// A JPEG cut at the end-of-image marker that follows its last scan: whatever a camera appended
/// after the picture (a video, a second picture with its own EXIF) is not part of it. Walks the
/// marker segments to the first scan, then its entropy-coded data (where 0xFF is always followed by
/// 0x00 or a restart marker, so the end marker cannot hide in it).
fn to_end_of_image(jpeg: &[u8]) -> Vec<u8> {
    let mut at = 2; // after SOI
    while at + 4 <= jpeg.len() && jpeg[at] == 0xFF {
        let marker = jpeg[at + 1];
        let length = usize::from(u16::from_be_bytes([jpeg[at + 2], jpeg[at + 3]]));
        at += 2 + length;
        if marker == 0xDA {
            // In scan data: a marker other than a stuffed byte or a restart ends it; another
            // scan's header (progressive files) is walked like any segment.
            while at + 1 < jpeg.len() {
                if jpeg[at] == 0xFF && jpeg[at + 1] != 0x00 && !(0xD0..=0xD7).contains(&jpeg[at + 1]) {
                    if jpeg[at + 1] == 0xD9 {
                        return jpeg[..at + 2].to_vec();
                    }
                    break;
                }
                at += 1;
            }
        }
    }
    jpeg.to_vec()
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
    fn what_a_camera_appends_after_the_picture_is_cut_and_other_app_segments_dropped() {
        let mut photo = photo_with_position();
        // A motion photo's video after the end marker, and an MPF segment before the scan.
        photo.extend_from_slice(b"ftypmp4 GPS 31.2304N");
        let mpf = [0xFF, 0xE2, 0x00, 0x08, b'M', b'P', b'F', 0];
        photo.splice(2..2, mpf);
        let clean = without_metadata(&photo).expect("a JPEG");
        assert!(clean.ends_with(&[0x12, 0x34, 0x56, 0xFF, 0xD9]), "cut at the end of the image");
        assert!(!String::from_utf8_lossy(&clean).contains("MPF"));
    }

    #[test]
    fn a_crafted_webp_is_refused_not_a_crash() {
        let mut webp = b"RIFF".to_vec();
        webp.extend_from_slice(&12u32.to_le_bytes());
        webp.extend_from_slice(b"WEBPICCP");
        webp.extend_from_slice(&0u32.to_le_bytes());
        // Either refused or cleaned: never a panic out of the call.
        let _ = without_metadata(&webp);
        let mut short_vp8 = b"RIFF".to_vec();
        short_vp8.extend_from_slice(&16u32.to_le_bytes());
        short_vp8.extend_from_slice(b"WEBPVP8 ");
        short_vp8.extend_from_slice(&4u32.to_le_bytes());
        short_vp8.extend_from_slice(&[1, 2, 3, 4]);
        let _ = without_metadata(&short_vp8);
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
