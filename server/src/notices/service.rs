//! Notice use cases. Every state change runs in one transaction; the fan-out commits with the
//! notice, so a notice is either sent to everyone it addresses or to no one.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set,
};
use uuid::Uuid;

use super::audience::{self, Target};
use super::dto::Reminded;
use super::dto::{
    ChildRef, ClassReceipts, CreateNoticeRequest, MyResponse, Notice, OptionCount, Preview, PreviewRequest, Receipts,
    RecipientRef, ReplyRequest,
};
use super::error::NoticeError;
use super::model::{RecipientKind, ResponseMode, SenderRole, notice};
use super::repo;
use super::rules;
use crate::access;
use crate::access::Caller;
use crate::delivery::model::delivery;
use crate::delivery::outbox::{self, Delivery, Recipients, When};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::http::pagination::{Page, PageQuery};
use crate::inbox::model::{ItemKind, inbox_item, inbox_item_child};
use crate::infra::bus::Wake;
use crate::org::model::{guardian, staff, student};
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;
use std::sync::Arc;

/// The automatic reminder goes out this long before a deadline.
pub const DEADLINE_REMINDER_HOURS: i64 = 24;
const REMINDER_KIND: &str = "notice_reminder";
const DEADLINE_REMINDER_KIND: &str = "notice_deadline_reminder";

pub async fn preview(state: &AppState, user: &Caller, req: &PreviewRequest) -> ApiResult<Preview> {
    let resolved = audience::resolve(&state.db, user.account_id, &req.audience, req.school_id).await?;
    let (recipient_count, child_count) = crate::org::audience::count_reach(&state.db, &resolved.target).await?;
    Ok(Preview { recipient_count, child_count, recipient_kind: recipient_kind(&resolved.target) })
}

fn recipient_kind(target: &Target) -> RecipientKind {
    match target {
        Target::Families(_) => RecipientKind::Family,
        Target::Staff { .. } => RecipientKind::Staff,
    }
}

fn chars_between(value: &str, field: &'static str, min: usize, max: usize) -> Result<String, NoticeError> {
    let trimmed = value.trim();
    let n = trimmed.chars().count();
    if n < min || n > max {
        return Err(NoticeError::invalid(
            field,
            format!("长度须为 {min} 到 {max} 个字符。"),
            format!("Must be {min} to {max} characters."),
        ));
    }
    Ok(trimmed.to_owned())
}

fn validate_options(mode: ResponseMode, options: &[String]) -> Result<Vec<String>, NoticeError> {
    if mode != ResponseMode::Reply {
        if !options.is_empty() {
            return Err(NoticeError::invalid(
                "options",
                "只有 reply 模式的通知需要选项。",
                "Only reply notices take options.",
            ));
        }
        return Ok(Vec::new());
    }
    let options: Vec<String> = options.iter().map(|o| o.trim().to_owned()).collect();
    let distinct: std::collections::HashSet<&String> = options.iter().collect();
    let valid = (2..=10).contains(&options.len())
        && distinct.len() == options.len()
        && options.iter().all(|o| (1..=20).contains(&o.chars().count()));
    if !valid {
        return Err(NoticeError::invalid(
            "options",
            "reply 模式须提供 2 到 10 个互不相同的选项，每个不超过 20 个字符。",
            "A reply notice needs 2 to 10 distinct options of at most 20 characters.",
        ));
    }
    Ok(options)
}

/// From this many recipients on, a notice is fanned out right after its commit, in the
/// background: the sender does not wait for tens of thousands of inbox rows. It is committed as
/// due, so if this instance dies first the scheduled-notice job sends it (on any instance).
pub const BACKGROUND_FAN_OUT: u64 = 2_000;

pub async fn create(state: &Arc<AppState>, user: &Caller, req: CreateNoticeRequest) -> ApiResult<Notice> {
    let now = state.clock.now();
    let title = chars_between(&req.title, "title", 1, 100)?;
    let body = chars_between(&req.body, "body", 1, 5_000)?;
    let options = validate_options(req.response_mode, &req.options)?;
    let send_at = req.send_at.map(crate::infra::clock::to_micros).filter(|t| *t > now).unwrap_or(now);
    let deadline = req.deadline.map(crate::infra::clock::to_micros);
    if deadline.is_some_and(|d| d <= send_at) {
        return Err(NoticeError::invalid(
            "deadline",
            "截止时间须晚于发送时间。",
            "The deadline must be after the sending time.",
        )
        .into());
    }

    // Reads and the rate limit (Redis) come before the write transaction opens.
    let resolved = audience::resolve(&state.db, user.account_id, &req.audience, req.school_id).await?;
    if req.urgent && resolved.sender.role != SenderRole::SchoolAdmin {
        return Err(ApiError::forbidden().with_details(serde_json::json!({ "field": "urgent" })));
    }
    crate::delivery::limits::check_send(state, user, resolved.sender.school_id).await?;
    if let Target::Families(families) = &resolved.target {
        // Content rules apply to everything a school sends families.
        let one_family = families.guardian_ids.len() == 1
            && families.class_ids.is_empty()
            && families.grades.is_empty()
            && !families.school_wide;
        let option_names: Vec<String> = (0..options.len()).map(|i| format!("options[{i}]")).collect();
        let mut fields = vec![Field { name: "title", text: &title }, Field { name: "body", text: &body }];
        fields.extend(options.iter().zip(&option_names).map(|(text, name)| Field { name, text }));
        let audience = if one_family { Audience::OneFamily } else { Audience::Group };
        let violations = policy::check(&fields, Channel::Notice, audience);
        if !violations.is_empty() {
            let sender =
                guard::Sender { district_id: Some(resolved.sender.district_id), school_id: resolved.sender.school_id };
            return Err(guard::refuse(&state.db, &violations, Channel::Notice, sender, now).await.into());
        }
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let (school_wide, recipient_kind) = match &resolved.target {
        Target::Families(f) => (f.school_wide, RecipientKind::Family),
        Target::Staff { .. } => (false, RecipientKind::Staff),
    };
    let mut model = notice::ActiveModel {
        id: Set(Uuid::new_v4()),
        district_id: Set(resolved.sender.district_id),
        school_id: Set(resolved.sender.school_id),
        sender_account_id: Set(user.account_id),
        sender_name: Set(resolved.sender.name.clone()),
        sender_role: Set(resolved.sender.role),
        title: Set(title),
        body: Set(body),
        response_mode: Set(req.response_mode),
        options: Set(serde_json::to_string(&options).unwrap_or_else(|_| "[]".into())),
        audience: Set(serde_json::to_string(&req.audience).unwrap_or_else(|_| "{}".into())),
        recipient_kind: Set(recipient_kind),
        school_wide: Set(school_wide),
        urgent: Set(req.urgent),
        deadline: Set(deadline),
        send_at: Set(send_at),
        sent_at: Set(None),
        recipient_count: Set(0),
        recalled_at: Set(None),
        last_reminded_at: Set(None),
        deadline_reminded_at: Set(None),
        created_at: Set(now),
    }
    .insert(&txn)
    .await?;
    let mut in_background = false;
    if send_at <= now {
        let reach = crate::org::audience::count_accounts(&txn, &resolved.target).await?;
        if reach >= BACKGROUND_FAN_OUT {
            in_background = true;
            let mut active = model.into_active_model();
            active.recipient_count = Set(reach.min(i32::MAX as u64) as i32);
            model = active.update(&txn).await?;
        } else {
            model = deliver(&txn, model, &resolved.target, now).await?;
        }
    }
    txn.commit().await?;
    if model.sent_at.is_some() {
        announce(state, &model).await;
    } else if in_background {
        let state = state.clone();
        tokio::spawn(async move {
            if let Err(error) = send_due(&state).await {
                tracing::error!("background fan-out failed; the job will retry it: {error}");
            }
        });
    }
    Ok(to_dto(model, Vec::new(), None, true))
}

/// Fans a notice out and marks it sent.
async fn deliver(
    db: &impl ConnectionTrait,
    notice: notice::Model,
    target: &Target,
    now: DateTime<Utc>,
) -> ApiResult<notice::Model> {
    let started = std::time::Instant::now();
    let entry = crate::inbox::items::Entry {
        kind: ItemKind::Notice,
        ref_id: notice.id,
        title: notice.title.clone(),
        body: notice.body.clone(),
        sender_name: notice.sender_name.clone(),
        urgent: notice.urgent,
        needs_response: notice.response_mode != ResponseMode::Read,
    };
    crate::inbox::items::publish(db, entry, now).await?;
    let count = repo::fan_out(db, notice.id, target, now).await?;
    let fanned_out = started.elapsed();
    // Push and email follow through the outbox, committed with the notice, after quiet hours.
    let after = outbox::deliver_after(db, notice.school_id, notice.urgent, now).await?;
    outbox::enqueue(db, Delivery::of(ItemKind::Notice, notice.id, When::At(after)).urgent(notice.urgent), now).await?;
    tracing::debug!(
        notice = %notice.id,
        recipients = count,
        fan_out_ms = fanned_out.as_millis() as u64,
        outbox_ms = (started.elapsed() - fanned_out).as_millis() as u64,
        "notice delivered to inboxes"
    );
    let mut active = notice.into_active_model();
    active.sent_at = Set(Some(now));
    active.recipient_count = Set(count.min(i32::MAX as u64) as i32);
    Ok(active.update(db).await?)
}

/// Above this many recipients a wake-up goes to every stream instead of a list of accounts.
const NAMED_WAKE_LIMIT: i32 = 1_000;

/// Wakes the real-time streams of a sent notice's recipients (after its commit): by name for a
/// class-sized audience, so other streams stay asleep; everyone for a school-wide one.
async fn announce(state: &AppState, sent: &notice::Model) {
    let (notice_id, recipients) = (sent.id, sent.recipient_count);
    if recipients as u64 >= crate::infra::db::BULK_ROWS {
        // In the background: the sender need not wait for it.
        let db = state.db.clone();
        tokio::spawn(async move {
            crate::infra::db::refresh_statistics(&db, &["inbox_items", "inbox_item_children", "deliveries"]).await;
        });
    }
    let accounts = if recipients <= NAMED_WAKE_LIMIT {
        crate::inbox::items::recipients_of(&state.db, ItemKind::Notice, notice_id).await.ok()
    } else {
        None
    };
    state.bus.publish(Wake { accounts }).await;
}

/// Sends scheduled notices whose time has come. Safe to run on several instances at once: each
/// notice is claimed by a conditional update inside the transaction that fans it out.
pub async fn send_due(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let due = notice::Entity::find()
        .filter(notice::Column::SentAt.is_null())
        .filter(notice::Column::RecalledAt.is_null())
        .filter(notice::Column::SendAt.lte(now))
        .order_by_asc(notice::Column::SendAt)
        .limit(100)
        .all(&state.db)
        .await?;
    let mut sent = 0;
    for pending in due {
        let txn = crate::infra::db::begin(&state.db).await?;
        let claimed = notice::Entity::update_many()
            .col_expr(notice::Column::SentAt, Expr::value(now))
            .filter(notice::Column::Id.eq(pending.id))
            .filter(notice::Column::SentAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if !claimed {
            continue;
        }
        let notice_id = pending.id;
        let spec = serde_json::from_str(&pending.audience).unwrap_or_default();
        // The audience is resolved when the notice goes out, with the sender's reach at that time.
        let delivered = match audience::resolve(&txn, pending.sender_account_id, &spec, pending.school_id).await {
            Ok(resolved) => Some(deliver(&txn, pending, &resolved.target, now).await?),
            Err(error) => {
                tracing::warn!(notice = %notice_id, "scheduled notice not sent: {error}");
                None
            }
        };
        txn.commit().await?;
        if let Some(notice) = delivered {
            sent += 1;
            announce(state, &notice).await;
        }
    }
    Ok(sent)
}

/// The notice as the caller may see it: recipients see their own answer and children; the sender
/// and the school's admins see the recipient count.
pub async fn view(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Notice> {
    let db = &state.db;
    let notice = notice::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let item = my_item(db, user, id).await?;
    let manages =
        access::notice_manager(db, user, notice.sender_account_id, notice.school_id, notice.district_id).await?;
    if item.is_none() && !manages {
        return Err(ApiError::not_found());
    }
    let children = match &item {
        Some(_) => my_children(db, user, id).await?,
        None => Vec::new(),
    };
    Ok(to_dto(notice, children, item.map(my_response), manages))
}

async fn my_item(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<Option<inbox_item::Model>> {
    Ok(inbox_item::Entity::find()
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(inbox_item::Column::Kind.eq(ItemKind::Notice.as_str()))
        .filter(inbox_item::Column::RefId.eq(id))
        .one(db)
        .await?)
}

async fn my_children(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<Vec<ChildRef>> {
    let rows = inbox_item_child::Entity::find()
        .filter(inbox_item_child::Column::AccountId.eq(user.account_id))
        .filter(inbox_item_child::Column::Kind.eq(ItemKind::Notice.as_str()))
        .filter(inbox_item_child::Column::RefId.eq(id))
        .all(db)
        .await?;
    let mut children: Vec<ChildRef> = student::Entity::find()
        .filter(student::Column::Id.is_in(rows.iter().map(|r| r.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| ChildRef { id: s.id, name: s.name })
        .collect();
    children.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(children)
}

fn my_response(item: inbox_item::Model) -> MyResponse {
    MyResponse {
        read_at: item.read_at,
        responded_at: item.responded_at,
        option: item.response_option,
        text: item.response_text,
    }
}

pub fn to_dto(n: notice::Model, children: Vec<ChildRef>, me: Option<MyResponse>, show_count: bool) -> Notice {
    let options = n.options();
    let recalled = n.recalled_at.is_some();
    Notice {
        id: n.id,
        title: n.title,
        body: (!recalled).then_some(n.body),
        sender_name: n.sender_name,
        sender_role: n.sender_role,
        school_id: n.school_id,
        response_mode: n.response_mode,
        options,
        deadline: n.deadline,
        urgent: n.urgent,
        recipient_kind: n.recipient_kind,
        send_at: n.send_at,
        sent_at: n.sent_at,
        recalled,
        recalled_at: n.recalled_at,
        children,
        me,
        recipient_count: show_count.then_some(n.recipient_count),
        created_at: n.created_at,
    }
}

/// Notices the caller sent, or (school admins) every notice of their schools; newest first.
pub async fn list_sent(state: &AppState, user: &Caller, page: &PageQuery) -> ApiResult<Page<Notice>> {
    let db = &state.db;
    let limit = page.limit()?;
    let admin_schools = access::schools_administered(db, user).await?;
    let query = notice::Entity::find().filter(
        Condition::any()
            .add(notice::Column::SenderAccountId.eq(user.account_id))
            .add(notice::Column::SchoolId.is_in(admin_schools)),
    );
    let rows = page.newest_first(query, notice::Column::CreatedAt, notice::Column::Id)?.all(db).await?;
    let items = rows.into_iter().map(|n| to_dto(n, Vec::new(), None, true)).collect();
    Ok(Page::from_rows(items, limit, |n| crate::http::pagination::instant_key(n.created_at, n.id)))
}

/// The caller's inbox item for a notice they received, refusing answers it cannot take.
async fn answerable(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: Uuid,
    mode: ResponseMode,
    now: DateTime<Utc>,
) -> ApiResult<(notice::Model, inbox_item::Model)> {
    let item = my_item(db, user, id).await?.ok_or_else(ApiError::not_found)?;
    let notice = notice::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    rules::can_answer(&notice, mode, now)?;
    Ok((notice, item))
}

/// Marks the notice read for the caller (idempotent: the first read time stays). One conditional
/// update, atomic on its own: concurrent opens neither wait for each other nor overwrite the time.
pub async fn mark_read(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<MyResponse> {
    inbox_item::Entity::update_many()
        .col_expr(inbox_item::Column::ReadAt, Expr::value(state.clock.now()))
        .filter(inbox_item::Column::AccountId.eq(user.account_id))
        .filter(inbox_item::Column::Kind.eq(ItemKind::Notice.as_str()))
        .filter(inbox_item::Column::RefId.eq(id))
        .filter(inbox_item::Column::ReadAt.is_null())
        .exec(&state.db)
        .await?;
    let item = my_item(&state.db, user, id).await?.ok_or_else(ApiError::not_found)?;
    Ok(my_response(item))
}

/// One-tap acknowledgement (收到) of a `confirm` notice.
pub async fn confirm(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<MyResponse> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (_, item) = answerable(&txn, user, id, ResponseMode::Confirm, now).await?;
    let mut active = item.clone().into_active_model();
    active.read_at = Set(Some(item.read_at.unwrap_or(now)));
    active.responded_at = Set(Some(item.responded_at.unwrap_or(now)));
    let item = active.update(&txn).await?;
    txn.commit().await?;
    Ok(my_response(item))
}

/// Answers a `reply` notice with one of its options (and a short text); answering again before
/// the deadline replaces the answer.
pub async fn reply(state: &AppState, user: &Caller, id: Uuid, req: ReplyRequest) -> ApiResult<MyResponse> {
    let now = state.clock.now();
    let text = req.text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
    if text.as_ref().is_some_and(|t| t.chars().count() > 200) {
        return Err(
            NoticeError::invalid("text", "回复内容不超过 200 个字符。", "The text is at most 200 characters.").into()
        );
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    let (notice, item) = answerable(&txn, user, id, ResponseMode::Reply, now).await?;
    let option = req.option.trim().to_owned();
    if !notice.options().contains(&option) {
        return Err(NoticeError::invalid(
            "option",
            "请从通知给出的选项中选择。",
            "Choose one of the notice's options.",
        )
        .into());
    }
    let mut active = item.clone().into_active_model();
    active.read_at = Set(Some(item.read_at.unwrap_or(now)));
    active.responded_at = Set(Some(now));
    active.response_option = Set(Some(option));
    active.response_text = Set(text);
    let item = active.update(&txn).await?;
    txn.commit().await?;
    Ok(my_response(item))
}

async fn managed_notice(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<notice::Model> {
    let notice = notice::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    if access::notice_manager(db, user, notice.sender_account_id, notice.school_id, notice.district_id).await? {
        Ok(notice)
    } else if my_item(db, user, id).await?.is_some() {
        Err(ApiError::forbidden())
    } else {
        Err(ApiError::not_found())
    }
}

/// Who has read, confirmed or replied: counts, and per class the lists of who has not.
pub async fn receipts(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Receipts> {
    let db = &state.db;
    let notice = managed_notice(db, user, id).await?;
    let kind = ItemKind::Notice.as_str();
    let items = inbox_item::Entity::find()
        .filter(inbox_item::Column::Kind.eq(kind))
        .filter(inbox_item::Column::RefId.eq(id))
        .all(db)
        .await?;
    let expects_response = notice.response_mode != ResponseMode::Read;
    let responded = |i: &inbox_item::Model| i.responded_at.is_some();
    let mut replies: BTreeMap<String, u64> = notice.options().into_iter().map(|o| (o, 0)).collect();
    for option in items.iter().filter_map(|i| i.response_option.clone()) {
        *replies.entry(option).or_default() += 1;
    }
    let by_account: HashMap<Uuid, &inbox_item::Model> = items.iter().map(|i| (i.account_id, i)).collect();
    let read = items.iter().filter(|i| i.read_at.is_some()).count() as u64;
    let responded_count = items.iter().filter(|i| responded(i)).count() as u64;
    let mut receipts = Receipts {
        notice_id: id,
        response_mode: notice.response_mode,
        recipient_count: items.len() as u64,
        read,
        unread: items.len() as u64 - read,
        responded: if expects_response { responded_count } else { 0 },
        not_responded: if expects_response { items.len() as u64 - responded_count } else { 0 },
        replies: replies.into_iter().map(|(option, count)| OptionCount { option, count }).collect(),
        classes: Vec::new(),
        staff_unread: Vec::new(),
    };
    match notice.recipient_kind {
        RecipientKind::Staff => {
            let unread: Vec<Uuid> = items.iter().filter(|i| i.read_at.is_none()).map(|i| i.account_id).collect();
            let mut names: Vec<RecipientRef> = staff::Entity::find()
                .filter(staff::Column::AccountId.is_in(unread))
                .all(db)
                .await?
                .into_iter()
                .map(|s| RecipientRef { account_id: s.account_id, name: s.name, children: Vec::new() })
                .collect();
            names.sort_by(|a, b| a.name.cmp(&b.name));
            names.dedup_by_key(|r| r.account_id);
            receipts.staff_unread = names;
        }
        RecipientKind::Family => {
            receipts.classes = class_receipts(db, id, &by_account, expects_response).await?;
        }
    }
    Ok(receipts)
}

async fn class_receipts(
    db: &impl ConnectionTrait,
    id: Uuid,
    items: &HashMap<Uuid, &inbox_item::Model>,
    expects_response: bool,
) -> ApiResult<Vec<ClassReceipts>> {
    let children = inbox_item_child::Entity::find()
        .filter(inbox_item_child::Column::Kind.eq(ItemKind::Notice.as_str()))
        .filter(inbox_item_child::Column::RefId.eq(id))
        .all(db)
        .await?;
    let classes = crate::org::repo::classes_by_id(db, children.iter().map(|c| c.class_id).collect()).await?;
    let student_names: HashMap<Uuid, String> = student::Entity::find()
        .filter(student::Column::Id.is_in(children.iter().map(|c| c.student_id)))
        .all(db)
        .await?
        .into_iter()
        .map(|s| (s.id, s.name))
        .collect();
    let guardian_names: HashMap<Uuid, String> = guardian::Entity::find()
        .filter(guardian::Column::AccountId.is_in(items.keys().copied()))
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.account_id, g.name))
        .collect();
    // class → account → children's names
    let mut per_class: BTreeMap<(i16, i16, Uuid), BTreeMap<Uuid, Vec<String>>> = BTreeMap::new();
    for child in &children {
        let Some(class) = classes.get(&child.class_id) else { continue };
        per_class
            .entry((class.grade, class.number, class.id))
            .or_default()
            .entry(child.account_id)
            .or_default()
            .push(student_names.get(&child.student_id).cloned().unwrap_or_default());
    }
    let reference = |account: Uuid, children: &Vec<String>| RecipientRef {
        account_id: account,
        name: guardian_names.get(&account).cloned().unwrap_or_default(),
        children: children.clone(),
    };
    Ok(per_class
        .into_iter()
        .map(|((grade, number, class_id), accounts)| {
            let mut out = ClassReceipts {
                class_id,
                grade,
                number,
                recipients: accounts.len() as u64,
                read: 0,
                responded: 0,
                read_by: Vec::new(),
                unread: Vec::new(),
                responded_by: Vec::new(),
                not_responded: Vec::new(),
            };
            for (account, kids) in &accounts {
                let Some(item) = items.get(account) else { continue };
                match (item.read_at.is_some(), item.responded_at.is_some()) {
                    (false, _) => out.unread.push(reference(*account, kids)),
                    (true, responded) => {
                        out.read += 1;
                        out.read_by.push(reference(*account, kids));
                        if responded {
                            out.responded += 1;
                            out.responded_by.push(reference(*account, kids));
                        } else if expects_response {
                            out.not_responded.push(reference(*account, kids));
                        }
                    }
                }
            }
            out
        })
        .collect())
}

/// Recalls a notice: within 24 hours of sending (a scheduled notice, any time before it goes out).
/// Recipients keep the item, shown as recalled, without its body.
pub async fn recall(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Notice> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let notice = managed_notice(&txn, user, id).await?;
    rules::can_recall(&notice, now)?;
    let mut active = notice.into_active_model();
    active.recalled_at = Set(Some(now));
    let notice = active.update(&txn).await?;
    crate::inbox::items::withdraw(&txn, ItemKind::Notice, notice.id, now).await?;
    txn.commit().await?;
    Ok(to_dto(notice, Vec::new(), None, true))
}

/// Who a reminder goes to: those who have not read a `read` notice, or not answered the others.
fn reminder_recipients(mode: ResponseMode) -> Recipients {
    match mode {
        ResponseMode::Read => Recipients::Unread,
        ResponseMode::Confirm | ResponseMode::Reply => Recipients::Unanswered,
    }
}

/// Reminds everyone who has not read (or answered) a notice; at most once per 6 hours.
pub async fn remind(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Reminded> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let notice = managed_notice(&txn, user, id).await?;
    rules::can_remind(&notice, now)?;
    let previous: Option<i32> = delivery::Entity::find()
        .select_only()
        .column_as(delivery::Column::Round.max(), "round")
        .filter(delivery::Column::Kind.eq(REMINDER_KIND))
        .filter(delivery::Column::RefId.eq(id))
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten();
    let after = outbox::deliver_after(&txn, notice.school_id, false, now).await?;
    let round = previous.unwrap_or(0) + 1;
    let reminder = Delivery::of(ItemKind::Notice, id, When::At(after)).reminder(
        REMINDER_KIND,
        round,
        reminder_recipients(notice.response_mode),
    );
    let reminded = outbox::enqueue(&txn, reminder, now).await?;
    let mut active = notice.into_active_model();
    active.last_reminded_at = Set(Some(now));
    active.update(&txn).await?;
    txn.commit().await?;
    Ok(Reminded { reminded })
}

/// The automatic reminder before a deadline, once per notice, to those who have not answered.
/// Safe on several instances: each notice is claimed by a conditional update.
pub async fn remind_before_deadlines(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let horizon = now + Duration::hours(DEADLINE_REMINDER_HOURS);
    let due = notice::Entity::find()
        .filter(notice::Column::DeadlineRemindedAt.is_null())
        .filter(notice::Column::RecalledAt.is_null())
        .filter(notice::Column::SentAt.is_not_null())
        .filter(notice::Column::ResponseMode.ne(ResponseMode::Read))
        .filter(notice::Column::Deadline.gt(now))
        .filter(notice::Column::Deadline.lte(horizon))
        .limit(100)
        .all(&state.db)
        .await?;
    let mut reminded = 0;
    for n in due {
        let txn = crate::infra::db::begin(&state.db).await?;
        let claimed = notice::Entity::update_many()
            .col_expr(notice::Column::DeadlineRemindedAt, Expr::value(now))
            .filter(notice::Column::Id.eq(n.id))
            .filter(notice::Column::DeadlineRemindedAt.is_null())
            .exec(&txn)
            .await?
            .rows_affected
            == 1;
        if claimed {
            let after = outbox::deliver_after(&txn, n.school_id, false, now).await?;
            let reminder = Delivery::of(ItemKind::Notice, n.id, When::At(after)).reminder(
                DEADLINE_REMINDER_KIND,
                0,
                reminder_recipients(n.response_mode),
            );
            outbox::enqueue(&txn, reminder, now).await?;
            reminded += 1;
        }
        txn.commit().await?;
    }
    Ok(reminded)
}
