//! Delivery through the outbox: email to a real SMTP listener, push to a local gateway, quiet
//! hours, crash recovery, retries, reminders, preferences, devices and school settings.

use chrono::Duration;
use jiaxiao_tests::fakes::{PushGatewayFake, SmtpListener};
use jiaxiao_tests::world::{self, PASSWORD, STUDENT_HEADER};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with, spawn_app_with_mail_and_push};
use serde_json::Value;
use uuid::Uuid;

/// A school with `families` guardians, each with an email, an activated account and one device.
struct Families {
    admin: String,
    admin_login: String,
    school: Uuid,
    /// (login, token, push token)
    guardians: Vec<(String, String, String)>,
}

async fn families(app: &TestApp, n: usize) -> Families {
    let (_, bureau) = world::bootstrap_district(app, "甲区", "bureau@test.cn").await;
    let (school, admin) = world::create_school(app, &bureau, "一小", "6-3", "admin@test.cn").await;
    let rows: String =
        (0..n).map(|i| format!("S{i},孩子{i},4,1,家长{i},1380000{i:04},parent{i}@test.cn,母亲,,,,,,\n")).collect();
    let (_, tokens) =
        world::import_and_activate(app, &admin, school, "students", &format!("{STUDENT_HEADER}{rows}")).await;
    let mut guardians = Vec::new();
    for i in 0..n {
        let login = format!("1380000{i:04}");
        let token = tokens[&login].clone();
        let push_token = format!("device-token-{i}");
        app.post("/api/v1/devices", Some(&token), json!({ "platform": "android", "token": push_token }))
            .await
            .expect(201);
        guardians.push((login, token, push_token));
    }
    Families { admin, admin_login: "admin@test.cn".into(), school, guardians }
}

fn read_notice(title: &str) -> Value {
    json!({ "title": title, "body": "明天下午两点家长会。", "audience": {}, "response_mode": "read" })
}

#[tokio::test]
async fn a_notice_is_emailed_and_pushed_exactly_once_to_each_recipient() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let f = families(&app, 3).await;
    app.post("/api/v1/notices", Some(&f.admin), read_notice("家长会通知")).await.expect(201);
    let pass = app.deliver().await;
    assert_eq!(pass.delivered, 3);
    assert_eq!(app.deliver().await.claimed, 0, "nothing left, nothing sent twice");

    let mails = smtp.mails();
    assert_eq!(mails.len(), 3);
    let mut recipients: Vec<String> = mails.iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["parent0@test.cn", "parent1@test.cn", "parent2@test.cn"]);
    assert!(mails.iter().all(|m| m.data.contains("Message-ID: <delivery-")));

    let pushes = gateway.received();
    assert_eq!(pushes.len(), 3);
    let mut tokens: Vec<&str> = pushes.iter().map(|p| p["tokens"][0]["token"].as_str().unwrap_or("")).collect();
    tokens.sort();
    assert_eq!(tokens, ["device-token-0", "device-token-1", "device-token-2"]);
    assert_eq!(pushes[0]["data"]["kind"], "notice");
    assert!(pushes[0]["title"].as_str().unwrap_or("").starts_with("家长会通知（孩子"), "the title names the child");
}

#[tokio::test]
async fn quiet_hours_hold_deliveries_until_morning_unless_urgent() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let f = families(&app, 1).await;
    // 22:00 in Shanghai.
    app.clock.advance(Duration::hours(6));
    let admin = app.login(&f.admin_login, PASSWORD).await;
    app.post("/api/v1/notices", Some(&admin), read_notice("普通通知")).await.expect(201);
    let mut urgent = read_notice("暴雨停课通知");
    urgent["urgent"] = json!(true);
    app.post("/api/v1/notices", Some(&admin), urgent).await.expect(201);
    app.deliver().await;
    let titles = |g: &PushGatewayFake| {
        g.received().iter().map(|p| p["title"].as_str().unwrap_or("").to_owned()).collect::<Vec<_>>()
    };
    assert_eq!(titles(&gateway).len(), 1);
    assert!(titles(&gateway)[0].starts_with("暴雨停课通知"));
    assert_eq!(gateway.received()[0]["urgent"], true);
    // Both are in the inbox at once; only the push waits.
    let inbox = app.get("/api/v1/inbox", Some(&f.guardians[0].1)).await;
    assert_eq!(inbox.status, 401, "the evening token has expired; sign in again");
    // 06:59 next morning: still quiet; 07:00: delivered.
    app.clock.advance(Duration::hours(8) + Duration::minutes(59));
    app.deliver().await;
    assert_eq!(titles(&gateway).len(), 1);
    app.clock.advance(Duration::minutes(1));
    app.deliver().await;
    assert_eq!(titles(&gateway).len(), 2);
}

#[tokio::test]
async fn a_school_sets_its_own_quiet_hours() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let f = families(&app, 1).await;
    let path = format!("/api/v1/schools/{}/messaging-settings", f.school);
    let defaults = app.get(&path, Some(&f.admin)).await.expect(200);
    assert_eq!(defaults.body["quiet_start"], "21:00");
    // Quiet from 15:00 to 18:00; the test clock is at 16:00 Shanghai.
    let settings = json!({ "quiet_start": "15:00", "quiet_end": "18:00", "digest_time": "17:00" });
    app.client.put(app.url(&path)).bearer_auth(&f.admin).json(&settings).send().await.expect("sent");
    app.post("/api/v1/notices", Some(&f.admin), read_notice("通知")).await.expect(201);
    app.deliver().await;
    assert!(gateway.received().is_empty());
    app.clock.advance(Duration::hours(2));
    app.deliver().await;
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn a_worker_that_dies_mid_batch_loses_nothing_and_repeats_nothing() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let f = families(&app, 5).await;
    app.post("/api/v1/notices", Some(&f.admin), read_notice("通知")).await.expect(201);
    // The worker claims all five, sends three messages (push, email, push) and dies.
    let pass = server::delivery::worker::run_once(&app.state, 100, Some(3)).await.expect("worker");
    assert_eq!(pass.claimed, 5);
    assert_eq!(gateway.received().len() + smtp.mails().len(), 3);
    // Restarted at once: the dead worker's claims still hold, so nothing is sent twice meanwhile.
    assert_eq!(app.deliver().await.claimed, 0);
    // After the lease expires the restarted worker finishes the job.
    app.clock.advance(Duration::seconds(server::delivery::worker::LEASE_SECS + 1));
    app.deliver().await;
    assert_eq!(gateway.received().len(), 5);
    assert_eq!(smtp.mails().len(), 5);
    let mut recipients: Vec<String> = smtp.mails().iter().flat_map(|m| m.to.clone()).collect();
    recipients.dedup();
    assert_eq!(recipients.len(), 5, "each address exactly once");
    let mut tokens: Vec<String> =
        gateway.received().iter().map(|p| p["tokens"][0]["token"].as_str().unwrap_or("").to_owned()).collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!(tokens.len(), 5, "each device exactly once");
}

#[tokio::test]
async fn a_failing_gateway_is_retried_with_back_off_and_dead_tokens_are_forgotten() {
    let gateway = PushGatewayFake::start();
    let url = gateway.url.clone();
    let app = spawn_app_with(move |s| s.push_gateway_url = Some(url)).await;
    let f = families(&app, 1).await;
    gateway.fail_next(1);
    gateway.reject_token(&f.guardians[0].2);
    app.post("/api/v1/notices", Some(&f.admin), read_notice("第一条")).await.expect(201);
    let pass = app.deliver().await;
    assert_eq!((pass.delivered, pass.retried), (0, 1));
    app.clock.advance(Duration::seconds(29));
    assert_eq!(app.deliver().await.claimed, 0, "not before the back-off");
    app.clock.advance(Duration::seconds(2));
    assert_eq!(app.deliver().await.delivered, 1);
    assert_eq!(gateway.received().len(), 1);
    // The gateway said the token is dead: the next notice is not pushed to it.
    let admin = app.login(&f.admin_login, PASSWORD).await;
    app.post("/api/v1/notices", Some(&admin), read_notice("第二条")).await.expect(201);
    assert_eq!(app.deliver().await.delivered, 1);
    assert_eq!(gateway.received().len(), 1);
}

#[tokio::test]
async fn reminders_go_to_those_who_have_not_answered_at_most_every_six_hours() {
    let smtp = SmtpListener::start();
    let url = smtp.url.clone();
    let app = spawn_app_with(move |s| s.smtp_url = Some(url)).await;
    let f = families(&app, 2).await;
    let mut body = read_notice("安全责任书");
    body["response_mode"] = json!("confirm");
    let id =
        app.post("/api/v1/notices", Some(&f.admin), body).await.expect(201).body["id"].as_str().expect("id").to_owned();
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 2);
    app.post(&format!("/api/v1/notices/{id}/confirm"), Some(&f.guardians[0].1), json!({})).await.expect(200);
    let reminded = app.post(&format!("/api/v1/notices/{id}/remind"), Some(&f.admin), json!({})).await.expect(200);
    assert_eq!(reminded.body["reminded"], 1);
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 3);
    assert_eq!(mails[2].to, ["parent1@test.cn"]);
    let again = app.post(&format!("/api/v1/notices/{id}/remind"), Some(&f.admin), json!({})).await.expect(429);
    assert_eq!(again.code(), "remind_too_soon");
    assert!(again.headers.contains_key("retry-after"));
    // Recipients cannot remind; strangers learn nothing.
    app.post(&format!("/api/v1/notices/{id}/remind"), Some(&f.guardians[1].1), json!({})).await.expect(403);
    app.clock.advance(Duration::hours(6));
    let admin = app.login(&f.admin_login, PASSWORD).await;
    app.post(&format!("/api/v1/notices/{id}/remind"), Some(&admin), json!({})).await.expect(200);
}

#[tokio::test]
async fn an_automatic_reminder_goes_out_once_before_the_deadline() {
    let smtp = SmtpListener::start();
    let url = smtp.url.clone();
    let app = spawn_app_with(move |s| s.smtp_url = Some(url)).await;
    let f = families(&app, 1).await;
    let body = json!({
        "title": "春游报名", "body": "请选择。", "audience": {}, "response_mode": "reply",
        "options": ["参加", "不参加"], "deadline": (app.clock_now() + Duration::hours(30)).to_rfc3339(),
    });
    app.post("/api/v1/notices", Some(&f.admin), body).await.expect(201);
    app.deliver().await;
    assert_eq!(app.run_jobs().await.deadline_reminders, 0, "30 hours before: too early");
    app.clock.advance(Duration::hours(7));
    assert_eq!(app.run_jobs().await.deadline_reminders, 1);
    assert_eq!(app.run_jobs().await.deadline_reminders, 0, "once");
    // It is 23:00 in Shanghai: the reminder waits for the end of quiet hours.
    app.deliver().await;
    assert_eq!(smtp.mails().len(), 1);
    app.clock.advance(Duration::hours(8));
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 2);
    assert!(mails[1].body_text().contains("请在家校 App 中回复"));
    assert!(mails[1].data.contains("Subject: =?utf-8?"), "an encoded Chinese subject");
}

#[tokio::test]
async fn preferences_choose_the_language_and_the_channels() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let f = families(&app, 2).await;
    let defaults = app.get("/api/v1/me/preferences", Some(&f.guardians[0].1)).await.expect(200);
    assert_eq!(
        defaults.body,
        // Every kind of item is on by default, after-school news included.
        json!({ "locale": "zh-CN", "push_kinds": ["notice", "message", "homework", "afterschool", "mentoring", "parent_school", "complaint", "bulletin"], "email_kinds": ["notice", "message", "homework", "afterschool", "mentoring", "parent_school", "complaint", "bulletin"], "daily_digest": false, "digest_time": null, "digest_time_in_effect": "17:00" })
    );
    let english = json!({ "locale": "en", "push_kinds": ["notice"], "email_kinds": ["notice"], "daily_digest": false });
    let put = |token: String, body: Value| {
        let request = app.client.put(app.url("/api/v1/me/preferences")).bearer_auth(token).json(&body);
        async move { request.send().await.expect("sent").status().as_u16() }
    };
    assert_eq!(put(f.guardians[0].1.clone(), english).await, 200);
    let no_email = json!({ "locale": "zh-CN", "push_kinds": [], "email_kinds": [], "daily_digest": false });
    assert_eq!(put(f.guardians[1].1.clone(), no_email).await, 200);
    assert_eq!(
        put(
            f.guardians[1].1.clone(),
            json!({ "locale": "fr", "push_kinds": [], "email_kinds": [], "daily_digest": false })
        )
        .await,
        422
    );

    let mut body = read_notice("Parents' meeting");
    body["response_mode"] = json!("confirm");
    app.post("/api/v1/notices", Some(&f.admin), body).await.expect(201);
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(mails.len(), 1, "the second guardian turned email off");
    assert!(mails[0].body_text().contains("Please answer in the Jiaxiao app"), "English for the first guardian");
    assert_eq!(gateway.received().len(), 1, "and push off");
}

#[tokio::test]
async fn without_smtp_emails_are_written_to_the_outbox_folder() {
    let app = spawn_app().await;
    let f = families(&app, 1).await;
    app.post("/api/v1/notices", Some(&f.admin), read_notice("通知")).await.expect(201);
    assert_eq!(app.deliver().await.delivered, 1);
    let outbox = app.state.settings.data_dir.join("outbox");
    let files: Vec<_> = std::fs::read_dir(&outbox).expect("outbox folder").filter_map(Result::ok).collect();
    assert_eq!(files.len(), 1);
    let eml = std::fs::read_to_string(files[0].path()).expect("eml");
    assert!(eml.contains("To: parent0@test.cn"));
}

#[tokio::test]
async fn devices_and_school_settings_are_guarded() {
    let app = spawn_app().await;
    let w = world::build(&app).await;
    let first =
        app.post("/api/v1/devices", Some(&w.g1), json!({ "platform": "ios", "token": "tok-1" })).await.expect(201);
    // The same token registered from another account moves to it.
    let moved =
        app.post("/api/v1/devices", Some(&w.g3), json!({ "platform": "ios", "token": "tok-1" })).await.expect(201);
    assert_eq!(first.body["id"], moved.body["id"]);
    let id = moved.body["id"].as_str().expect("id");
    let delete =
        |token: &str| app.client.delete(app.url(&format!("/api/v1/devices/{id}"))).bearer_auth(token.to_owned()).send();
    assert_eq!(delete(&w.g1).await.expect("sent").status(), 404);
    assert_eq!(delete(&w.g3).await.expect("sent").status(), 204);
    app.post("/api/v1/devices", Some(&w.g1), json!({ "platform": "ios", "token": "" })).await.expect(422);
    app.post("/api/v1/devices", Some(&w.g1), json!({ "platform": "symbian", "token": "x" })).await.expect(422);

    let path = format!("/api/v1/schools/{}/messaging-settings", w.school_a1);
    let settings = json!({ "quiet_start": "21:30", "quiet_end": "06:30", "digest_time": "17:00" });
    let put =
        |token: &str, body: &Value| app.client.put(app.url(&path)).bearer_auth(token.to_owned()).json(body).send();
    assert_eq!(put(&w.teacher_a1_head, &settings).await.expect("sent").status(), 403);
    assert_eq!(put(&w.admin_b1, &settings).await.expect("sent").status(), 404);
    assert_eq!(put(&w.g1, &settings).await.expect("sent").status(), 404);
    let bad = json!({ "quiet_start": "25:00", "quiet_end": "06:30", "digest_time": "17:00" });
    assert_eq!(put(&w.admin_a1, &bad).await.expect("sent").status(), 422);
    assert_eq!(put(&w.admin_a1, &settings).await.expect("sent").status(), 200);
    let read = app.get(&path, Some(&w.teacher_a1_other)).await.expect(200);
    assert_eq!(read.body["quiet_start"], "21:30");
    app.get(&path, Some(&w.g1)).await.expect(404);
}

#[tokio::test]
async fn a_family_that_asks_for_a_digest_gets_one_a_day_and_urgent_notices_at_once() {
    let (app, smtp, gateway) = spawn_app_with_mail_and_push().await;
    let f = families(&app, 2).await;
    let digest = json!({ "locale": "zh-CN", "push_kinds": ["notice", "message"], "email_kinds": ["notice", "message"], "daily_digest": true });
    let set = app
        .client
        .put(app.url("/api/v1/me/preferences"))
        .bearer_auth(&f.guardians[0].1)
        .json(&digest)
        .send()
        .await
        .expect("sent");
    assert_eq!(set.status(), 200);
    // 16:00: two ordinary notices and an urgent one.
    app.post("/api/v1/notices", Some(&f.admin), read_notice("运动会通知")).await.expect(201);
    app.post("/api/v1/notices", Some(&f.admin), read_notice("图书馆开放时间")).await.expect(201);
    let mut urgent = read_notice("暴雨停课");
    urgent["urgent"] = json!(true);
    app.post("/api/v1/notices", Some(&f.admin), urgent).await.expect(201);
    let pass = app.deliver().await;
    assert_eq!(pass.held, 2, "the digest family's ordinary notices wait");
    let to_first = |mails: &[jiaxiao_tests::fakes::Mail]| mails.iter().filter(|m| m.to == ["parent0@test.cn"]).count();
    assert_eq!(to_first(&smtp.mails()), 1, "only the urgent one so far");
    assert_eq!(smtp.mails().len(), 4, "the other family got all three at once");

    app.clock.advance(Duration::minutes(59));
    app.deliver().await;
    assert_eq!(to_first(&smtp.mails()), 1);
    app.clock.advance(Duration::minutes(1)); // 17:00
    app.deliver().await;
    let mails = smtp.mails();
    assert_eq!(to_first(&mails), 2, "one digest for both");
    let digest_mail = mails.iter().rev().find(|m| m.to == ["parent0@test.cn"]).expect("digest");
    let text = digest_mail.body_text();
    assert!(text.contains("运动会通知") && text.contains("图书馆开放时间"), "{text}");
    let digest_pushes = gateway.received().iter().filter(|p| p["data"]["kind"] == "digest").count();
    assert_eq!(digest_pushes, 1);
    assert_eq!(app.deliver().await.claimed, 0);
}

/// An address on this machine where nothing listens (connections are refused at once).
fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").expect("bind").local_addr().expect("addr").port()
}

#[tokio::test]
async fn a_hanging_push_gateway_costs_one_timeout_per_pass_and_nothing_is_lost_or_sent_twice() {
    let (smtp, gateway) = (SmtpListener::start(), PushGatewayFake::start());
    let (smtp_url, gateway_url) = (smtp.url.clone(), gateway.url.clone());
    let app = spawn_app_with(move |s| {
        s.smtp_url = Some(smtp_url);
        s.push_gateway_url = Some(gateway_url);
        s.delivery_timeout_secs = 1;
    })
    .await;
    let f = families(&app, 5).await;
    gateway.hang(true);
    app.post("/api/v1/notices", Some(&f.admin), read_notice("家长会通知")).await.expect(201);
    let pass = app.deliver().await;
    assert_eq!((pass.delivered, pass.retried), (0, 5), "all five wait for the gateway");
    assert_eq!(gateway.requests(), 1, "one timeout for the pass, not one per delivery");
    assert!(smtp.mails().is_empty(), "push goes first; email waits with it");

    gateway.hang(false);
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.deliver().await.delivered, 5, "it recovers by itself");
    let mut tokens: Vec<String> =
        gateway.received().iter().map(|p| p["tokens"][0]["token"].as_str().unwrap_or("").to_owned()).collect();
    tokens.sort();
    tokens.dedup();
    assert_eq!((gateway.received().len(), tokens.len()), (5, 5), "each device exactly once");
    assert_eq!(smtp.mails().len(), 5, "each family emailed exactly once");
}

#[tokio::test]
async fn an_smtp_server_that_stops_answering_delays_email_and_loses_none() {
    let smtp = SmtpListener::start();
    let proxy = jiaxiao_tests::fakes::TcpProxy::start(smtp.url.trim_start_matches("smtp://")).await;
    let port = proxy.port;
    let app = spawn_app_with(move |s| {
        s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"));
        s.delivery_timeout_secs = 1;
    })
    .await;
    let f = families(&app, 3).await;
    proxy.cut();
    app.post("/api/v1/notices", Some(&f.admin), read_notice("运动会通知")).await.expect(201);
    let pass = app.deliver().await;
    assert_eq!(pass.retried, 3, "{pass:?}");
    app.clock.advance(Duration::seconds(31));
    assert_eq!(app.deliver().await.retried, 3, "still down: retried again later");
    // The families have it in the app meanwhile.
    let inbox = app.get("/api/v1/inbox", Some(&f.guardians[0].1)).await.expect(200);
    assert_eq!(inbox.body["items"][0]["title"].as_str().map(|t| t.starts_with("运动会通知")), Some(true));

    proxy.restore();
    app.clock.advance(Duration::seconds(61));
    assert_eq!(app.deliver().await.delivered, 3);
    let mut recipients: Vec<String> = smtp.mails().iter().flat_map(|m| m.to.clone()).collect();
    recipients.sort();
    assert_eq!(recipients, ["parent0@test.cn", "parent1@test.cn", "parent2@test.cn"], "each once");
}

#[tokio::test]
async fn what_smtp_never_took_in_a_day_is_shown_to_the_school_admins_only() {
    let port = closed_port();
    let app = spawn_app_with(move |s| s.smtp_url = Some(format!("smtp://127.0.0.1:{port}"))).await;
    let f = families(&app, 2).await;
    app.post("/api/v1/notices", Some(&f.admin), read_notice("放假通知")).await.expect(201);
    let (mut failed, mut hours) = (0, 0);
    while failed < 2 && hours < 48 {
        failed += app.deliver().await.failed;
        app.clock.advance(Duration::hours(1));
        hours += 1;
    }
    assert_eq!(failed, 2, "given up after {hours} hours");
    assert!(hours >= 24, "retried for at least a day, gave up after {hours} hours");
    let path = format!("/api/v1/schools/{}/failed-deliveries", f.school);
    // A day later: everyone signs in again.
    let admin = app.login(&f.admin_login, PASSWORD).await;
    let guardian = app.login(&f.guardians[0].0, PASSWORD).await;
    let list = app.get(&path, Some(&admin)).await.expect(200);
    let items = list.body["items"].as_array().cloned().unwrap_or_default();
    assert_eq!(items.len(), 2);
    for item in &items {
        assert_eq!(item["item_kind"], "notice");
        assert_eq!(item["reminder"], false);
        assert_eq!(item["failed_channel"], "email");
        assert!(item["title"].as_str().unwrap_or("").starts_with("放假通知"));
        assert_eq!(item["attempts"], server::delivery::worker::MAX_ATTEMPTS);
    }
    let mut names: Vec<&str> = items.iter().filter_map(|i| i["recipient_name"].as_str()).collect();
    names.sort();
    assert_eq!(names, ["家长0", "家长1"]);
    // Paged like every list.
    let first = app.get(&format!("{path}?limit=1"), Some(&admin)).await.expect(200);
    let cursor = first.body["next_cursor"].as_str().expect("a second page").to_owned();
    let second = app.get(&format!("{path}?limit=1&cursor={cursor}"), Some(&admin)).await.expect(200);
    assert_ne!(first.body["items"][0]["seq"], second.body["items"][0]["seq"]);
    assert!(second.body["next_cursor"].is_null());

    // Nobody else sees them: a family, another school's admin, a teacher who is not an admin.
    app.get(&path, Some(&guardian)).await.expect(404);
    let bureau = app.login("bureau@test.cn", PASSWORD).await;
    let (_, other_admin) = world::create_school(&app, &bureau, "二小", "6-3", "admin2@test.cn").await;
    app.get(&path, Some(&other_admin)).await.expect(404);
    let staff = format!("{}T1,王老师,13700000001,,teacher,4-1:head\n", world::STAFF_HEADER);
    let (_, tokens) = world::import_and_activate(&app, &admin, f.school, "staff", &staff).await;
    app.get(&path, Some(&tokens["13700000001"])).await.expect(403);
}
