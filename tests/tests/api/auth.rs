//! Activation, sign-in, token rotation and revocation, rate limits.

use chrono::Duration;
use jiaxiao_tests::world::{self, PASSWORD};
use jiaxiao_tests::{TestApp, json, spawn_app, spawn_app_with};

/// A bureau officer and a school whose admin has not activated yet: (admin login, code).
async fn pending_admin(app: &TestApp) -> (String, String) {
    let (_, bureau) = world::bootstrap_district(app, "甲区", "bureau@test.cn").await;
    let reply = app
        .post(
            "/api/v1/schools",
            Some(&bureau),
            json!({ "name": "一小", "stage_system": "6-3", "admin_name": "校管理员", "admin_login": "13912345678" }),
        )
        .await
        .expect(201);
    ("13912345678".into(), reply.body["admin"]["activation_code"].as_str().expect("code").into())
}

#[tokio::test]
async fn an_activation_code_sets_the_password_once() {
    let app = spawn_app().await;
    let (login, code) = pending_admin(&app).await;
    // Not activated yet: cannot sign in.
    assert_eq!(
        app.post("/api/v1/auth/login", None, json!({ "login": login, "password": PASSWORD })).await.expect(401).code(),
        "invalid_credentials"
    );
    // Codes are typed by people: case and separators do not matter.
    let typed = format!("{}-{}", &code[..5], &code[5..]).to_lowercase();
    let token = app.activate("+86 139 1234 5678", &typed, PASSWORD).await;
    app.get("/api/v1/me", Some(&token)).await.expect(200);
    app.login(&login, PASSWORD).await;
    let again = app
        .post("/api/v1/auth/activate", None, json!({ "login": login, "code": code, "password": "another-password" }))
        .await
        .expect(401);
    assert_eq!(again.code(), "invalid_activation_code");
}

#[tokio::test]
async fn an_expired_activation_code_is_refused() {
    let app = spawn_app().await;
    let (login, code) = pending_admin(&app).await;
    app.clock.advance(Duration::days(31));
    let reply = app
        .post("/api/v1/auth/activate", None, json!({ "login": login, "code": code, "password": PASSWORD }))
        .await
        .expect(401);
    assert_eq!(reply.code(), "invalid_activation_code");
}

#[tokio::test]
async fn a_short_password_is_refused_at_activation() {
    let app = spawn_app().await;
    let (login, code) = pending_admin(&app).await;
    let reply = app
        .post("/api/v1/auth/activate", None, json!({ "login": login, "code": code, "password": "short" }))
        .await
        .expect(422);
    assert_eq!(reply.code(), "weak_password");
    // The code still works after a refused attempt.
    app.activate(&login, &code, PASSWORD).await;
}

#[tokio::test]
async fn unknown_logins_and_wrong_passwords_get_the_same_answer() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let wrong = app
        .post("/api/v1/auth/login", None, json!({ "login": "bureau@test.cn", "password": "wrong-password" }))
        .await
        .expect(401);
    let unknown = app
        .post("/api/v1/auth/login", None, json!({ "login": "nobody@test.cn", "password": PASSWORD }))
        .await
        .expect(401);
    let garbage =
        app.post("/api/v1/auth/login", None, json!({ "login": "???", "password": PASSWORD })).await.expect(401);
    // The same answer but for the id of each request.
    let answer = |mut body: serde_json::Value| {
        body.as_object_mut().map(|b| b.remove("request_id"));
        body
    };
    assert_eq!(answer(wrong.body.clone()), answer(unknown.body));
    assert_eq!(answer(wrong.body), answer(garbage.body));
}

#[tokio::test]
async fn requests_without_a_valid_token_are_401() {
    let app = spawn_app().await;
    assert_eq!(app.get("/api/v1/me", None).await.expect(401).code(), "unauthenticated");
    assert_eq!(app.get("/api/v1/me", Some("not-a-jwt")).await.expect(401).code(), "unauthenticated");
}

#[tokio::test]
async fn an_access_token_expires() {
    let app = spawn_app().await;
    let (_, token) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    app.get("/api/v1/me", Some(&token)).await.expect(200);
    app.clock.advance(Duration::minutes(16));
    app.get("/api/v1/me", Some(&token)).await.expect(401);
}

async fn sign_in_pair(app: &TestApp) -> (String, String) {
    let reply = app
        .post("/api/v1/auth/login", None, json!({ "login": "bureau@test.cn", "password": PASSWORD }))
        .await
        .expect(200);
    (
        reply.body["access_token"].as_str().expect("access").into(),
        reply.body["refresh_token"].as_str().expect("refresh").into(),
    )
}

#[tokio::test]
async fn refresh_rotates_and_reusing_an_old_token_ends_the_session() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (_, first_refresh) = sign_in_pair(&app).await;
    let rotated = app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": first_refresh })).await.expect(200);
    let second_access = rotated.body["access_token"].as_str().expect("access").to_owned();
    let second_refresh = rotated.body["refresh_token"].as_str().expect("refresh").to_owned();
    assert_ne!(second_refresh, first_refresh);
    app.get("/api/v1/me", Some(&second_access)).await.expect(200);

    // A replay of the rotated token after the retry grace: the whole session (family) is revoked.
    app.clock.advance(Duration::seconds(11));
    let replay = app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": first_refresh })).await.expect(401);
    assert_eq!(replay.code(), "refresh_token_reused");
    app.get("/api/v1/me", Some(&second_access)).await.expect(401);
    let after = app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": second_refresh })).await.expect(401);
    assert_eq!(after.code(), "refresh_token_invalid");
}

#[tokio::test]
async fn parallel_refreshes_of_one_token_keep_the_session() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (_, refresh) = sign_in_pair(&app).await;
    // A phone on a flaky network sends the same refresh four times at once.
    let send = || app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": refresh }));
    let replies = futures_util::future::join_all([send(), send(), send(), send()]).await;
    for reply in &replies {
        assert_eq!(reply.status, 200, "{}", reply.body);
    }
    // Whichever pair it keeps works, the first one included.
    for reply in &replies {
        app.get("/api/v1/me", reply.body["access_token"].as_str()).await.expect(200);
    }
    let kept = replies[0].body["refresh_token"].as_str().expect("refresh").to_owned();
    app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": kept })).await.expect(200);
}

#[tokio::test]
async fn an_expired_refresh_token_is_refused() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (_, refresh) = sign_in_pair(&app).await;
    app.clock.advance(Duration::days(31));
    let reply = app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": refresh })).await.expect(401);
    assert_eq!(reply.code(), "refresh_token_invalid");
}

#[tokio::test]
async fn logout_ends_only_this_session() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (phone, phone_refresh) = sign_in_pair(&app).await;
    let (tablet, _) = sign_in_pair(&app).await;
    app.post("/api/v1/auth/logout", Some(&phone), json!({})).await.expect(204);
    app.get("/api/v1/me", Some(&phone)).await.expect(401);
    app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": phone_refresh })).await.expect(401);
    app.get("/api/v1/me", Some(&tablet)).await.expect(200);
}

#[tokio::test]
async fn changing_the_password_signs_out_the_other_sessions() {
    let app = spawn_app().await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (this, _) = sign_in_pair(&app).await;
    let (other, other_refresh) = sign_in_pair(&app).await;
    let wrong = app
        .post(
            "/api/v1/auth/password",
            Some(&this),
            json!({ "current_password": "nope-nope", "new_password": "brand-new-password" }),
        )
        .await
        .expect(401);
    assert_eq!(wrong.code(), "invalid_credentials");
    app.post(
        "/api/v1/auth/password",
        Some(&this),
        json!({ "current_password": PASSWORD, "new_password": "brand-new-password" }),
    )
    .await
    .expect(204);
    app.get("/api/v1/me", Some(&this)).await.expect(200);
    app.get("/api/v1/me", Some(&other)).await.expect(401);
    app.post("/api/v1/auth/refresh", None, json!({ "refresh_token": other_refresh })).await.expect(401);
    app.post("/api/v1/auth/login", None, json!({ "login": "bureau@test.cn", "password": PASSWORD })).await.expect(401);
    app.login("bureau@test.cn", "brand-new-password").await;
}

/// A sign-in from `address` (behind our own load balancer, which appends it to X-Forwarded-For).
async fn login_from(app: &TestApp, address: &str, login: &str, password: &str) -> u16 {
    let request =
        app.client.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", format!("10.9.9.9, {address}"));
    request.json(&json!({ "login": login, "password": password })).send().await.expect("sent").status().as_u16()
}

#[tokio::test]
async fn wrong_passwords_are_throttled_per_account_and_address_and_successes_never_count() {
    let app = spawn_app_with(|s| {
        s.login_attempts_per_login = 3;
        s.trust_proxy = true;
    })
    .await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let (home, stranger) = ("198.51.100.7", "203.0.113.50");
    // Successes never count: the owner signs in as often as they like.
    for _ in 0..5 {
        assert_eq!(login_from(&app, home, "bureau@test.cn", PASSWORD).await, 200);
    }
    // Someone who knows the login guesses from elsewhere: three failures, then 429 even with the
    // right password (the same login spelt differently is the same account).
    for _ in 0..3 {
        assert_eq!(login_from(&app, stranger, "bureau@test.cn", "wrong-password").await, 401);
    }
    assert_eq!(login_from(&app, stranger, " BUREAU@test.cn ", PASSWORD).await, 429);
    // The owner at home is not locked out by the stranger.
    assert_eq!(login_from(&app, home, "bureau@test.cn", PASSWORD).await, 200);
    // Guessing spread over many addresses meets the account's budget from everywhere (10 × 3).
    for i in 0..9 {
        for _ in 0..3 {
            login_from(&app, &format!("192.0.2.{i}"), "bureau@test.cn", "wrong-password").await;
        }
    }
    assert_eq!(login_from(&app, "192.0.2.200", "bureau@test.cn", PASSWORD).await, 429);
    // …but not at an address the account signed in from: the owner at home still gets in.
    assert_eq!(login_from(&app, home, "bureau@test.cn", PASSWORD).await, 200);
    // The window passing lifts it.
    app.clock.advance(Duration::minutes(15));
    assert_eq!(login_from(&app, "192.0.2.200", "bureau@test.cn", PASSWORD).await, 200);
}

#[tokio::test]
async fn a_guesser_waits_longer_after_each_wrong_password_and_the_window_slides() {
    let app = spawn_app_with(|s| s.trust_proxy = true).await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let guesser = "203.0.113.9";
    let guess = || async {
        let request = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", guesser)
            .json(&json!({ "login": "bureau@test.cn", "password": "wrong-password" }));
        let reply = request.send().await.expect("sent");
        let wait = reply.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse::<i64>().ok());
        (reply.status().as_u16(), wait)
    };
    // Three typos cost nothing.
    for _ in 0..3 {
        assert_eq!(guess().await, (401, None));
    }
    // Then each failure doubles the wait before the next attempt is even checked.
    let mut waits = Vec::new();
    for _ in 0..7 {
        let (status, wait) = guess().await;
        assert_eq!(status, 429);
        let wait = wait.expect("Retry-After");
        waits.push(wait);
        app.clock.advance(Duration::seconds(wait - 1));
        assert_eq!(guess().await.0, 429, "a second early is still too early");
        app.clock.advance(Duration::seconds(1));
        assert_eq!(guess().await.0, 401, "waiting what it was told lets the next guess be checked");
    }
    assert_eq!(waits, [1, 2, 4, 8, 16, 32, 60]);
    // Ten failures: refused until the first of them is fifteen minutes old — a sliding window,
    // not the next quarter-hour boundary.
    let (status, wait) = guess().await;
    assert_eq!(status, 429);
    let wait = wait.expect("Retry-After");
    assert_eq!(wait, 15 * 60 - waits.iter().sum::<i64>(), "the first failure was {} s ago", waits.iter().sum::<i64>());
    app.clock.advance(Duration::seconds(wait));
    assert_eq!(guess().await.0, 401, "the oldest failure slid out; nine remain, so the next costs a delay again");
    assert_eq!(guess().await.0, 429);
}

#[tokio::test]
async fn a_stolen_access_token_cannot_guess_the_current_password_without_limit() {
    let app = spawn_app_with(|s| s.login_attempts_per_login = 3).await;
    let (_, token) = world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let change = |current: &str| json!({ "current_password": current, "new_password": "another-long-passphrase" });
    for _ in 0..3 {
        app.post("/api/v1/auth/password", Some(&token), change("guess-guess")).await.expect(401);
    }
    let limited = app.post("/api/v1/auth/password", Some(&token), change(PASSWORD)).await.expect(429);
    assert!(limited.headers.contains_key("retry-after"));
    // The same budget as signing in from this address.
    let reply = app.post("/api/v1/auth/login", None, json!({ "login": "bureau@test.cn", "password": PASSWORD })).await;
    assert_eq!(reply.status, 429);
}

#[tokio::test]
async fn the_client_address_is_what_our_proxy_appended_not_what_the_client_wrote() {
    let app = spawn_app_with(|s| {
        s.login_attempts_per_ip = 4;
        s.trust_proxy = true;
    })
    .await;
    // The client writes a new address in front each time; the load balancer appends the real one.
    for i in 0..4 {
        let forged = format!("198.18.0.{i}");
        let request =
            app.client.post(app.url("/api/v1/auth/login")).header("x-forwarded-for", format!("{forged}, 203.0.113.50"));
        let reply = request
            .json(&json!({ "login": format!("u{i}@test.cn"), "password": PASSWORD }))
            .send()
            .await
            .expect("sent");
        assert_eq!(reply.status().as_u16(), 401);
    }
    assert_eq!(login_from(&app, "203.0.113.50", "fresh@test.cn", PASSWORD).await, 429);
    assert_eq!(
        login_from(&app, "203.0.113.51", "fresh@test.cn", PASSWORD).await,
        401,
        "another client is not affected"
    );
}

#[tokio::test]
async fn sign_in_attempts_are_limited_per_ip() {
    let app = spawn_app_with(|s| s.login_attempts_per_ip = 4).await;
    for i in 0..4 {
        app.post("/api/v1/auth/login", None, json!({ "login": format!("user{i}@test.cn"), "password": PASSWORD }))
            .await
            .expect(401);
    }
    let limited = app
        .post("/api/v1/auth/login", None, json!({ "login": "fresh@test.cn", "password": PASSWORD }))
        .await
        .expect(429);
    assert_eq!(limited.code(), "rate_limited");
}

#[tokio::test]
#[ignore = "needs Redis: run by the PostgreSQL + Redis pass of .ci/run (--include-ignored)"]
async fn redis_pass_with_redis_gone_sign_in_answers_503_at_once_and_recovers_by_itself() {
    jiaxiao_tests::require_redis();
    let redis = std::env::var("TEST_REDIS_URL").expect("TEST_REDIS_URL");
    let target = redis.trim_start_matches("redis://").trim_end_matches('/').to_owned();
    let proxy = jiaxiao_tests::fakes::TcpProxy::start(&target).await;
    let port = proxy.port;
    let app = spawn_app_with(move |s| s.redis_url = Some(format!("redis://127.0.0.1:{port}"))).await;
    world::bootstrap_district(&app, "甲区", "bureau@test.cn").await;
    let sign_in = || app.post("/api/v1/auth/login", None, json!({ "login": "bureau@test.cn", "password": PASSWORD }));
    sign_in().await.expect(200);

    proxy.cut();
    let started = std::time::Instant::now();
    let refused = sign_in().await.expect(503);
    assert!(started.elapsed() < std::time::Duration::from_secs(3), "answered in {:?}", started.elapsed());
    assert_eq!(refused.code(), "unavailable");
    assert!(refused.headers.contains_key("retry-after"));

    proxy.restore();
    let mut status = 0;
    for _ in 0..50 {
        status = sign_in().await.status.as_u16();
        if status == 200 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert_eq!(status, 200, "signing in works again once Redis is back, without a restart");
}
