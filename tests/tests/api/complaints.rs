//! Complaints over HTTP (issue 12): the workflow from filing to closing, anonymity to the school
//! through every school endpoint, deadlines and reminders on a fixed clock, the dashboard's counts,
//! and every denial.

use chrono::Duration;
use jiaxiao_tests::world::{self, PASSWORD, World};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with};
use serde_json::Value;

/// What would name the family filing about 张小一: the child, the guardian, the guardian's phone.
const FAMILY: [&str; 3] = ["张小一", "张伟", "13800000001"];

fn complaint(w: &World, anonymous: bool) -> Value {
    json!({
        "student_id": w.s1, "category": "homework_burden",
        "text": "三年级每天书面作业超过两小时，孩子常常写到十点。", "anonymous_to_school": anonymous,
    })
}

fn assert_nameless(what: &str, body: &Value) {
    let text = body.to_string();
    for name in FAMILY {
        assert!(!text.contains(name), "{what} names the family ({name}): {text}");
    }
    assert!(!text.contains("student_id"), "{what} carries a student id: {text}");
}

fn complaint_items(inbox: &Value) -> Vec<Value> {
    inbox["items"].as_array().expect("items").iter().filter(|i| i["kind"] == "complaint").cloned().collect()
}

async fn file(app: &TestApp, w: &World, anonymous: bool) -> String {
    let filed = app.post("/api/v1/complaints", Some(&w.g1), complaint(w, anonymous)).await.expect(201);
    filed.body["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn an_anonymous_complaint_goes_through_the_school_without_ever_naming_the_family() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let filed = app.post("/api/v1/complaints", Some(&w.g1), complaint(&w, true)).await.expect(201);
    let id = filed.body["id"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/complaints/{id}");
    assert_eq!(filed.body["status"], "received");
    // Filed on Monday 23 November: three school days, to the end of Thursday 26 in Shanghai.
    assert_eq!(filed.body["due_at"], "2026-11-26T16:00:00Z");
    assert!(filed.body["complainant"].is_null(), "the family reads its own complaint without its file card");

    // The bureau sees who filed; the school knows nothing of it yet, not even that it exists.
    let bureau_view = app.get(&path, Some(&w.bureau_a)).await.expect(200);
    assert_eq!(bureau_view.body["complainant"]["student_name"], "张小一");
    assert_eq!(bureau_view.body["complainant"]["guardian_name"], "张伟");
    app.get(&path, Some(&w.admin_a1)).await.expect(404);
    let school_list = format!("/api/v1/schools/{}/complaints", w.school_a1);
    assert_eq!(app.get(&school_list, Some(&w.admin_a1)).await.expect(200).body["items"], json!([]));
    let bureau_inbox = app.get("/api/v1/inbox", Some(&w.bureau_a)).await.expect(200);
    assert_eq!(complaint_items(&bureau_inbox.body).len(), 1);

    // The school's own dashboard counts no complaint it was not sent; the bureau's counts it.
    let school_dashboard = format!("/api/v1/districts/{}/schools/{}/dashboard", w.district_a, w.school_a1);
    let own = app.get(&school_dashboard, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(own["complaints"]["received"], json!({ "value": 0, "suppressed": false }));
    let district = format!("/api/v1/districts/{}/dashboard", w.district_a);
    let whole = app.get(&district, Some(&w.bureau_a)).await.expect(200).body;
    assert_eq!(whole["complaints"]["received"], json!({ "value": null, "suppressed": true }));

    // Anonymous means anonymous: the bureau cannot share the identity.
    let forward = format!("{path}/forward");
    let refused = app.post(&forward, Some(&w.bureau_a), json!({ "share_identity": true })).await.expect(422);
    assert_eq!(refused.body["details"]["field"], "share_identity");
    let note = "请核实三年级作业量并回复。";
    let forwarded = app.post(&forward, Some(&w.bureau_a), json!({ "note": note })).await.expect(200);
    assert_eq!(forwarded.body["status"], "forwarded");
    app.post(&forward, Some(&w.bureau_a), json!({})).await.expect(409);

    let own = app.get(&school_dashboard, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(own["complaints"]["received"], json!({ "value": null, "suppressed": true }), "sent now: one, hidden");
    assert_nameless("the school's dashboard", &own["complaints"]);
    // Every school endpoint: the complaint, the list, the admin's inbox. None names the family.
    let school_view = app.get(&path, Some(&w.admin_a1)).await.expect(200);
    assert!(school_view.body["complainant"].is_null());
    assert_eq!(school_view.body["events"][1]["text"], note);
    assert_nameless("the school's view", &school_view.body);
    let listed = app.get(&school_list, Some(&w.admin_a1)).await.expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert_nameless("the school's list", &listed.body);
    let admin_inbox = app.get("/api/v1/inbox", Some(&w.admin_a1)).await.expect(200);
    assert_eq!(complaint_items(&admin_inbox.body).len(), 1);
    assert_nameless("the school's inbox", &admin_inbox.body);
    // Teachers are not the school's admins; another school's admin is nobody here.
    app.get(&path, Some(&w.teacher_a1_head)).await.expect(404);
    app.get(&path, Some(&w.admin_a2)).await.expect(404);

    // The school responds; the family reads the response but not the bureau's note to the school.
    let response = "已核查，三年级作业已按年级统筹调减。";
    let responded =
        app.post(&format!("{path}/respond"), Some(&w.admin_a1), json!({ "text": response })).await.expect(200);
    assert_eq!(responded.body["status"], "responded");
    assert_nameless("the school's answer", &responded.body);
    app.post(&format!("{path}/respond"), Some(&w.admin_a1), json!({ "text": "再次回复" })).await.expect(409);
    let family_view = app.get(&path, Some(&w.g1)).await.expect(200);
    let texts: Vec<Value> = family_view.body["events"].as_array().unwrap().iter().map(|e| e["text"].clone()).collect();
    assert_eq!(texts, vec![Value::Null, Value::Null, json!(response)]);

    // The bureau closes it; final.
    let close = json!({ "outcome": "substantiated", "text": "情况属实，学校已整改。" });
    let closed = app.post(&format!("{path}/close"), Some(&w.bureau_a), close.clone()).await.expect(200);
    assert_eq!(
        (closed.body["status"].as_str(), closed.body["outcome"].as_str()),
        (Some("closed"), Some("substantiated"))
    );
    assert!(closed.body["due_at"].is_null());
    assert_eq!(
        app.post(&format!("{path}/close"), Some(&w.bureau_a), close).await.expect(409).code(),
        "complaint_state"
    );

    // The family heard of every step: received, forwarded, responded, closed.
    let family_inbox = app.get("/api/v1/inbox", Some(&w.g1)).await.expect(200);
    assert_eq!(complaint_items(&family_inbox.body).len(), 4);
    // Each step is an item of its own, and each opens the complaint.
    for item in complaint_items(&family_inbox.body) {
        assert_eq!(item["subject_id"], json!(id), "{item}");
        assert_ne!(item["ref_id"], json!(id));
    }
    let admin_inbox = app.get("/api/v1/inbox", Some(&w.admin_a1)).await.expect(200);
    assert!(complaint_items(&admin_inbox.body).iter().all(|i| i["subject_id"] == json!(id)));
    let mine = app.get("/api/v1/complaints", Some(&w.g1)).await.expect(200);
    assert_eq!(mine.body["items"][0]["status"], "closed");
    // The school's admin, after closing, still sees nothing of the family, nor the bureau's words
    // to it: the outcome alone.
    let school_closed = app.get(&path, Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(school_closed["outcome"], "substantiated");
    assert!(school_closed["events"].as_array().unwrap().last().unwrap()["text"].is_null());
    assert_nameless("the school's view once closed", &app.get(&path, Some(&w.admin_a1)).await.expect(200).body);
    assert_nameless(
        "the school's inbox once closed",
        &app.get("/api/v1/inbox", Some(&w.admin_a1)).await.expect(200).body,
    );
}

#[tokio::test]
async fn a_family_that_is_not_anonymous_is_named_to_the_school_only_when_the_bureau_shares_it() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let hidden = file(&app, &w, false).await;
    app.post(&format!("/api/v1/complaints/{hidden}/forward"), Some(&w.bureau_a), json!({})).await.expect(200);
    assert!(
        app.get(&format!("/api/v1/complaints/{hidden}"), Some(&w.admin_a1)).await.expect(200).body["complainant"]
            .is_null()
    );
    let shared = file(&app, &w, false).await;
    app.post(&format!("/api/v1/complaints/{shared}/forward"), Some(&w.bureau_a), json!({ "share_identity": true }))
        .await
        .expect(200);
    let view = app.get(&format!("/api/v1/complaints/{shared}"), Some(&w.admin_a1)).await.expect(200);
    assert_eq!(view.body["complainant"]["student_name"], "张小一");
}

#[tokio::test]
async fn whoever_holds_a_complaint_past_its_deadline_is_reminded_once() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let id = file(&app, &w, true).await;
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").complaint_reminders, 0);

    // Friday 27 November: the bureau's three school days are over.
    app.clock.advance(Duration::days(4));
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").complaint_reminders, 1);
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").complaint_reminders, 0);
    let bureau = app.login("bureau-a@test.cn", PASSWORD).await;
    let inbox = app.get("/api/v1/inbox", Some(&bureau)).await.expect(200);
    let titles: Vec<String> =
        complaint_items(&inbox.body).iter().map(|i| i["title"].as_str().unwrap_or("").to_owned()).collect();
    assert!(titles.iter().any(|t| t.starts_with("投诉处理已逾期")), "{titles:?}");
    let view = app.get(&format!("/api/v1/complaints/{id}"), Some(&bureau)).await.expect(200);
    assert_eq!(view.body["overdue"], true);
    let dashboard = format!("/api/v1/districts/{}/dashboard", w.district_a);
    let figures = app.get(&dashboard, Some(&bureau)).await.expect(200).body;
    assert_eq!(figures["complaints"]["overdue_now"], 1);
    assert_eq!(figures["complaints"]["received"], json!({ "value": null, "suppressed": true }));

    // Forwarded on Friday: the school has until the end of Wednesday 2 December.
    let forwarded = app.post(&format!("/api/v1/complaints/{id}/forward"), Some(&bureau), json!({})).await.expect(200);
    assert_eq!(forwarded.body["due_at"], "2026-12-02T16:00:00Z");
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").complaint_reminders, 0);
    app.clock.advance(Duration::days(6));
    assert_eq!(server::jobs::run_due(&app.state).await.expect("jobs").complaint_reminders, 1);
    let admin = app.login("admin-a1@test.cn", PASSWORD).await;
    let admin_inbox = app.get("/api/v1/inbox", Some(&admin)).await.expect(200);
    assert!(
        complaint_items(&admin_inbox.body).iter().any(|i| i["title"].as_str().unwrap().starts_with("投诉处理已逾期"))
    );
    assert_nameless("the school's reminder", &admin_inbox.body);
    // The family never sees the reminders in its history.
    let g1 = app.login("13800000001", PASSWORD).await;
    let family = app.get(&format!("/api/v1/complaints/{id}"), Some(&g1)).await.expect(200);
    assert!(family.body["events"].as_array().unwrap().iter().all(|e| e["kind"] != "reminded"));
}

#[tokio::test]
async fn only_a_childs_guardian_files_and_only_the_holder_moves_a_complaint_on() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    // A pickup-only adult may not file; another school's family does not see the child.
    app.post("/api/v1/complaints", Some(&w.g2), complaint(&w, false)).await.expect(404);
    app.post("/api/v1/complaints", Some(&w.g4), complaint(&w, false)).await.expect(404);
    let mut blank = complaint(&w, false);
    blank["text"] = json!("   ");
    assert_eq!(app.post("/api/v1/complaints", Some(&w.g1), blank).await.expect(422).body["details"]["field"], "text");
    let mut unknown = complaint(&w, false);
    unknown["category"] = json!("grades");
    app.post("/api/v1/complaints", Some(&w.g1), unknown).await.expect(422);

    let id = file(&app, &w, false).await;
    let path = format!("/api/v1/complaints/{id}");
    // The school cannot answer what it was not sent; teachers and other districts cannot forward.
    app.post(&format!("{path}/respond"), Some(&w.admin_a1), json!({ "text": "回复" })).await.expect(404);
    app.post(&format!("{path}/forward"), Some(&w.teacher_a1_head), json!({})).await.expect(404);
    app.post(&format!("{path}/forward"), Some(&w.bureau_b), json!({})).await.expect(404);
    app.post(&format!("{path}/forward"), Some(&w.g1), json!({})).await.expect(403);
    app.post(&format!("{path}/close"), Some(&w.g1), json!({ "outcome": "unsubstantiated", "text": "撤回" }))
        .await
        .expect(403);
    // Another guardian of the child, another district's officer: not theirs to read.
    app.get(&path, Some(&w.g3)).await.expect(404);
    app.get(&path, Some(&w.bureau_b)).await.expect(404);
    // Lists: the district's for its officers only, the school's for its admins only.
    app.get(&format!("/api/v1/districts/{}/complaints", w.district_a), Some(&w.bureau_b)).await.expect(404);
    app.get(&format!("/api/v1/districts/{}/complaints", w.district_a), Some(&w.admin_a1)).await.expect(403);
    let received = format!("/api/v1/districts/{}/complaints?status=received", w.district_a);
    let listed = app.get(&received, Some(&w.bureau_a)).await.expect(200);
    assert_eq!(listed.body["items"].as_array().unwrap().len(), 1);
    assert!(listed.body["items"][0].get("text").is_none(), "a list carries no text");
    app.get(&format!("/api/v1/schools/{}/complaints", w.school_a1), Some(&w.teacher_a1_head)).await.expect(403);
    app.get(&format!("/api/v1/schools/{}/complaints", w.school_a1), Some(&w.admin_b1)).await.expect(404);
}

/// A JPEG as a phone writes it: the image's own header, an EXIF segment with the GPS position, a
/// comment naming who took it, then the scan.
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
    jpeg.extend(segment(0xFE, "张伟 拍摄".as_bytes()));
    jpeg.extend(segment(0xDA, &[1, 1, 0, 0, 63, 0]));
    jpeg.extend([0x12, 0x34, 0x56, 0xFF, 0xD9]);
    jpeg
}

#[tokio::test]
async fn a_family_adds_photos_that_lose_their_position_and_the_school_never_sees_whose_they_are() {
    let app = spawn_app_with(|s| s.max_attachment_bytes = 4_096).await;
    let w = world::build(&app).await;
    let id = file(&app, &w, true).await;
    let upload = |token: &str, name: &str, bytes: Vec<u8>| {
        let path = format!("/api/v1/complaints/{id}/attachments?file_name={name}");
        let token = token.to_owned();
        let app = &app;
        async move { app.post_raw(&path, Some(&token), "application/octet-stream", bytes).await }
    };
    // "张伟的作业照片.jpg", percent-encoded as the app sends it.
    let named = "%E5%BC%A0%E4%BC%9F%E7%9A%84%E4%BD%9C%E4%B8%9A%E7%85%A7%E7%89%87.jpg";
    let saved = upload(&w.g1, named, photo_with_position()).await.expect(201);
    assert_eq!(
        (saved.body["file_name"].as_str(), saved.body["content_type"].as_str()),
        (Some("张伟的作业照片.jpg"), Some("image/jpeg"))
    );
    let attachment = saved.body["id"].as_str().expect("id").to_owned();
    // Only images and PDFs, within the size limit, parsable, from the family, while open.
    assert_eq!(upload(&w.g1, "a.exe", b"MZ\x90\x00".to_vec()).await.expect(415).code(), "unsupported_attachment_type");
    assert_eq!(upload(&w.g1, "big.pdf", vec![b'%'; 5_000]).await.expect(413).code(), "payload_too_large");
    let broken = upload(&w.g1, "x.png", b"\x89PNG\r\n\x1a\nnot a png".to_vec()).await.expect(422);
    assert_eq!(broken.body["details"]["field"], "body");
    assert_eq!(upload(&w.bureau_a, "b.pdf", b"%PDF-1.7".to_vec()).await.expect(403).code(), "forbidden");
    upload(&w.g3, "c.pdf", b"%PDF-1.7".to_vec()).await.expect(404);
    upload(&w.admin_a1, "d.pdf", b"%PDF-1.7".to_vec()).await.expect(404);

    let download = |token: &str| {
        app.client
            .get(app.url(&format!("/api/v1/complaints/{id}/attachments/{attachment}")))
            .bearer_auth(token.to_owned())
            .send()
    };
    // The bureau reads the photo: the image is there, its position and byline are not.
    let got = download(&w.bureau_a).await.expect("sent");
    assert_eq!(got.status(), 200);
    assert!(
        got.headers()["content-disposition"].to_str().unwrap().contains("%E5%BC%A0%E4%BC%9F"),
        "the bureau sees the name"
    );
    let bytes = got.bytes().await.expect("bytes").to_vec();
    let text = String::from_utf8_lossy(&bytes);
    assert!(!text.contains("GPS") && !text.contains("张伟"), "metadata left in: {text}");
    assert!(bytes.starts_with(&[0xFF, 0xD8]) && bytes.ends_with(&[0x12, 0x34, 0x56, 0xFF, 0xD9]), "the image is whole");
    // The school: nothing before it is forwarded; after, a neutral name in the view and the file.
    assert_eq!(download(&w.admin_a1).await.expect("sent").status(), 404);
    app.post(&format!("/api/v1/complaints/{id}/forward"), Some(&w.bureau_a), json!({})).await.expect(200);
    let school_view = app.get(&format!("/api/v1/complaints/{id}"), Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(school_view["attachments"][0]["file_name"], "附件1.jpg");
    assert_nameless("the school's view with an attachment", &school_view);
    let got = download(&w.admin_a1).await.expect("sent");
    assert_eq!(got.status(), 200);
    assert_eq!(got.headers()["content-disposition"], "attachment; filename*=UTF-8''%E9%99%84%E4%BB%B61.jpg");
    assert_eq!(got.bytes().await.expect("bytes").to_vec(), bytes);
    // Another school's admin and a teacher get nothing; the family reads its own file.
    assert_eq!(download(&w.admin_a2).await.expect("sent").status(), 404);
    assert_eq!(download(&w.teacher_a1_head).await.expect("sent").status(), 404);
    assert_eq!(download(&w.g1).await.expect("sent").status(), 200);
    let family_view = app.get(&format!("/api/v1/complaints/{id}"), Some(&w.g1)).await.expect(200).body;
    assert_eq!(family_view["attachments"][0]["file_name"], "张伟的作业照片.jpg");

    // Five files at most, and none once it is closed.
    let mut pdfs = Vec::new();
    for n in 2..=5 {
        pdfs.push(upload(&w.g1, &format!("{n}.pdf"), b"%PDF-1.7".to_vec()).await.expect(201).body["id"].clone());
    }
    // A PDF's document properties can name the family: the school of an anonymous complaint
    // neither sees nor opens it; the bureau does.
    let school_view = app.get(&format!("/api/v1/complaints/{id}"), Some(&w.admin_a1)).await.expect(200).body;
    assert_eq!(school_view["attachments"].as_array().map(Vec::len), Some(1));
    let pdf = format!("/api/v1/complaints/{id}/attachments/{}", pdfs[0].as_str().unwrap());
    let school_pdf = app.client.get(app.url(&pdf)).bearer_auth(&w.admin_a1).send().await.expect("sent");
    assert_eq!(school_pdf.status(), 404);
    let bureau_pdf = app.client.get(app.url(&pdf)).bearer_auth(&w.bureau_a).send().await.expect("sent");
    assert_eq!(bureau_pdf.status(), 200);
    assert_eq!(upload(&w.g1, "6.pdf", b"%PDF-1.7".to_vec()).await.expect(422).body["details"]["field"], "body");
    let close = json!({ "outcome": "substantiated", "text": "已处理。" });
    app.post(&format!("/api/v1/complaints/{id}/close"), Some(&w.bureau_a), close).await.expect(200);
    let closed = app.get(&format!("/api/v1/complaints/{id}"), Some(&w.g1)).await.expect(200).body;
    assert_eq!(closed["attachments"].as_array().map(Vec::len), Some(5));
    let other = file(&app, &w, false).await;
    let close = json!({ "outcome": "unsubstantiated", "text": "未发现问题。" });
    app.post(&format!("/api/v1/complaints/{other}/close"), Some(&w.bureau_a), close).await.expect(200);
    let path = format!("/api/v1/complaints/{other}/attachments");
    assert_eq!(
        app.post_raw(&path, Some(&w.g1), "application/octet-stream", b"%PDF-1.7".to_vec()).await.expect(409).code(),
        "complaint_state"
    );
}
