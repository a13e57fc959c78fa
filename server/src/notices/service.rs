//! Notice use cases. Every state change runs in one transaction; the fan-out commits with the
//! notice, so a notice is either sent to everyone it addresses or to no one. Queries live in
//! [`super::repo`], the rules in [`super::rules`], receipts in [`super::receipts`]; read states
//! and children come from the inbox's API, reminder rounds from delivery's.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, IntoActiveModel, Set};
use uuid::Uuid;

use super::audience::{self, Target};
use super::draft::{Draft, Reply};
use super::dto::{
    ChildRef, CreateNoticeRequest, MyResponse, Notice, Preview, PreviewRequest, Receipts, Reminded, ReplyRequest,
};
use super::error::NoticeError;
use super::model::{RecipientKind, ResponseMode, notice};
use super::receipts::{self, ReceiptFacts};
use super::repo;
use super::rules;
use crate::access::{self, Caller, NoticeManager};
use crate::delivery::outbox::{self, Delivery, Recipients, When};
use crate::error::{ApiError, ApiResult};
use crate::guard;
use crate::http::pagination::{Page, PageQuery};
use crate::inbox::audiences;
use crate::inbox::items::{self, Answer, ItemKind, ReadState};
use crate::inbox::model::inbox_audience;
use crate::infra::bus::Wake;
use crate::policy::{self, Audience, Channel, Field};
use crate::state::AppState;

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

/// From this many recipients on, a notice is fanned out right after its commit, in the
/// background: the sender does not wait for tens of thousands of inbox rows. It is committed as
/// due, so if this instance dies first the scheduled-notice job sends it (on any instance).
pub const BACKGROUND_FAN_OUT: u64 = 2_000;

pub async fn create(state: &Arc<AppState>, user: &Caller, req: CreateNoticeRequest) -> ApiResult<Notice> {
    let now = state.clock.now();
    let confirmed = guard::confirmations(&req.confirm_review)?;
    let Draft { title, body, audience: spec, response_mode, options, deadline, send_at, urgent, school_id } =
        Draft::parse(req, now)?;

    // Reads and the rate limit (Redis) come before the write transaction opens.
    let resolved = audience::resolve(&state.db, user.account_id, &spec, school_id).await?;
    access::may_send_urgent(urgent, resolved.sender.role)?;
    // A notice that would reach no one is refused before it spends the sender's send budget.
    if !crate::org::audience::reaches_anyone(&state.db, &resolved.target).await? {
        return Err(NoticeError::NoRecipients.into());
    }
    crate::delivery::limits::check_send(state, user, resolved.sender.school_id).await?;
    let guard_sender =
        guard::Sender { district_id: Some(resolved.sender.district_id), school_id: resolved.sender.school_id };
    let mut reviewed = Vec::new();
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
        reviewed = guard::screen(&state.db, violations, &confirmed, Channel::Notice, guard_sender, now).await?;
    }
    let txn = crate::infra::db::begin(&state.db).await?;
    guard::count_reviewed(&txn, &reviewed, Channel::Notice, guard_sender, now).await?;
    let (school_wide, recipient_kind) = match &resolved.target {
        Target::Families(f) => (f.school_wide, RecipientKind::Family),
        Target::Staff { .. } => (false, RecipientKind::Staff),
    };
    let row = notice::ActiveModel {
        id: Set(Uuid::new_v4()),
        district_id: Set(resolved.sender.district_id),
        school_id: Set(resolved.sender.school_id),
        sender_account_id: Set(user.account_id),
        sender_name: Set(resolved.sender.name.clone()),
        sender_role: Set(resolved.sender.role),
        title: Set(title),
        body: Set(body),
        response_mode: Set(response_mode),
        options: Set(serde_json::to_string(&options).unwrap_or_else(|_| "[]".into())),
        audience: Set(serde_json::to_string(&spec).unwrap_or_else(|_| "{}".into())),
        recipient_kind: Set(recipient_kind),
        school_wide: Set(school_wide),
        urgent: Set(urgent),
        deadline: Set(deadline),
        send_at: Set(send_at),
        sent_at: Set(None),
        recipient_count: Set(0),
        recalled_at: Set(None),
        last_reminded_at: Set(None),
        deadline_reminded_at: Set(None),
        created_at: Set(now),
    };
    let mut model = repo::insert(&txn, row).await?;
    let (mut in_background, mut expand_later) = (false, false);
    if send_at <= now {
        let reach = match whole_school(&resolved.target) {
            Some(_) => 0, // an audience: every inbox has it at once, however large
            None => crate::org::audience::count_accounts(&txn, &resolved.target).await?,
        };
        if reach >= BACKGROUND_FAN_OUT {
            in_background = true;
            let mut active = model.into_active_model();
            active.recipient_count = Set(reach.min(i32::MAX as u64) as i32);
            model = repo::update(&txn, active).await?;
        } else {
            (model, expand_later) = deliver(&txn, model, &resolved.target, now).await?;
        }
    }
    txn.commit().await?;
    if model.sent_at.is_some() {
        announce(state, &model).await;
    }
    if (in_background || expand_later) && state.settings.background_fan_out {
        let state = state.clone();
        tokio::spawn(async move {
            let done = if in_background { send_due(&state).await } else { expand_audiences(&state).await };
            if let Err(error) = done {
                tracing::error!("background fan-out failed; the job will retry it: {error}");
            }
        });
    }
    Ok(to_dto(model, Vec::new(), None, true))
}

/// The school whose every family a target reaches, when it is the whole school.
fn whole_school(target: &Target) -> Option<Uuid> {
    match target {
        Target::Families(families) if families.school_wide => Some(families.school_id),
        _ => None,
    }
}

/// Fans a notice out and marks it sent. A notice to the whole school goes to the school's audience
/// (see [`audiences`]): every family's inbox lists it from this transaction's commit; the
/// families' own rows, push and email follow here when there are few of them, or after the
/// answer when there are many ([`expand_audiences`]; the returned flag says so).
async fn deliver(
    db: &impl ConnectionTrait,
    notice: notice::Model,
    target: &Target,
    now: DateTime<Utc>,
) -> ApiResult<(notice::Model, bool)> {
    let started = std::time::Instant::now();
    let entry = items::Entry {
        kind: ItemKind::Notice,
        ref_id: notice.id,
        title: notice.title.clone(),
        body: notice.body.clone(),
        sender_name: notice.sender_name.clone(),
        urgent: notice.urgent,
        needs_response: notice.response_mode != ResponseMode::Read,
        subject_id: None,
    };
    items::publish(db, entry, now).await?;
    let mut expand_later = false;
    let count = match whole_school(target) {
        Some(school_id) => {
            let count = crate::org::audience::count_accounts(db, target).await?;
            let audience = audiences::open(db, ItemKind::Notice, notice.id, school_id, now).await?;
            expand_later = count >= BACKGROUND_FAN_OUT;
            if !expand_later {
                audiences::expand_all(db, &audience).await?;
                audiences::claim_expanded(db, audience.seq, now).await?;
            }
            count
        }
        None => repo::fan_out(db, notice.id, target, now).await?,
    };
    let fanned_out = started.elapsed();
    if !expand_later {
        queue_push_and_email(db, &notice, now).await?;
    }
    tracing::debug!(
        notice = %notice.id,
        recipients = count,
        expand_later,
        fan_out_ms = fanned_out.as_millis() as u64,
        outbox_ms = (started.elapsed() - fanned_out).as_millis() as u64,
        "notice delivered to inboxes"
    );
    let mut active = notice.into_active_model();
    active.sent_at = Set(Some(now));
    active.recipient_count = Set(count.min(i32::MAX as u64) as i32);
    Ok((repo::update(db, active).await?, expand_later))
}

/// Push and email follow through the outbox, committed with the recipients' rows, after quiet
/// hours.
async fn queue_push_and_email(db: &impl ConnectionTrait, notice: &notice::Model, now: DateTime<Utc>) -> ApiResult<()> {
    let after = outbox::deliver_after(db, notice.school_id, notice.urgent, now).await?;
    outbox::enqueue(
        db,
        Delivery::of(ItemKind::Notice, notice.id, notice.school_id, When::At(after)).urgent(notice.urgent),
        now,
    )
    .await?;
    Ok(())
}

/// Writes the families' rows of school-wide notices gone out to many (their inboxes list them
/// already), a chunk of the school per transaction, then queues their push and email. Run right
/// after such a notice's answer and by the jobs (a notice whose instance died meanwhile): chunks
/// write only what is missing, and the push and email are queued by whoever marks the audience
/// expanded, once.
pub async fn expand_audiences(state: &AppState) -> ApiResult<u64> {
    let mut expanded = 0;
    for audience in audiences::unexpanded(&state.db, ItemKind::Notice).await? {
        expanded += u64::from(expand(state, &audience).await?);
    }
    Ok(expanded)
}

/// Writes one audience's rows (see [`expand_audiences`]); true when this call finished it.
async fn expand(state: &AppState, audience: &inbox_audience::Model) -> ApiResult<bool> {
    let started = std::time::Instant::now();
    let mut after = None;
    loop {
        let txn = crate::infra::db::begin(&state.db).await?;
        let last = audiences::expand_chunk(&txn, audience, after).await?;
        txn.commit().await?;
        match last {
            Some(last) => after = Some(last),
            None => break,
        }
    }
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let finished = audiences::claim_expanded(&txn, audience.seq, now).await?;
    if finished && let Some(notice) = repo::find(&txn, audience.ref_id).await? {
        queue_push_and_email(&txn, &notice, now).await?;
    }
    txn.commit().await?;
    tracing::debug!(notice = %audience.ref_id, expand_ms = started.elapsed().as_millis() as u64, "audience expanded");
    if finished {
        crate::infra::db::refresh_statistics(&state.db, &["inbox_items", "inbox_item_children", "deliveries"]).await;
    }
    Ok(finished)
}

/// Receipts and reminders count every recipient's row: a school-wide notice still going out has
/// its rows written first (the rare sender who asks within its first second waits for them).
async fn expanded(state: &AppState, id: Uuid) -> ApiResult<()> {
    if let Some(audience) = audiences::going_out(&state.db, ItemKind::Notice, id).await? {
        expand(state, &audience).await?;
    }
    Ok(())
}

/// A school-wide notice still going out reaches the caller before their own row is written (see
/// [`audiences::settle`]): a caller who finds no row of theirs has it written now, and opening
/// and answering work as for any notice. True when the notice was going out (look again).
async fn settle(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<bool> {
    let Some(audience) = audiences::going_out(db, ItemKind::Notice, id).await? else { return Ok(false) };
    audiences::settle(db, user.account_id, &audience).await?;
    Ok(true)
}

/// [`settle`] in a transaction of its own (for reads and single-statement writes). The audience
/// is looked up once: were it expanded meanwhile, the caller's row exists and nothing is written.
async fn settle_now(db: &sea_orm::DatabaseConnection, user: &Caller, id: Uuid) -> ApiResult<bool> {
    let Some(audience) = audiences::going_out(db, ItemKind::Notice, id).await? else { return Ok(false) };
    let txn = crate::infra::db::begin(db).await?;
    audiences::settle(&txn, user.account_id, &audience).await?;
    txn.commit().await?;
    Ok(true)
}

/// Above this many recipients a wake-up goes to every stream instead of a list of accounts.
const NAMED_WAKE_LIMIT: i32 = 1_000;

/// Wakes the real-time streams of a sent notice's recipients (after its commit): by name for a
/// class-sized audience, so other streams stay asleep; everyone for a school-wide one.
async fn announce(state: &AppState, sent: &notice::Model) {
    let (notice_id, recipients) = (sent.id, sent.recipient_count);
    if recipients as u64 >= crate::infra::db::BULK_ROWS && !sent.school_wide {
        // In the background: the sender need not wait for it.
        let db = state.db.clone();
        tokio::spawn(async move {
            crate::infra::db::refresh_statistics(&db, &["inbox_items", "inbox_item_children", "deliveries"]).await;
        });
    }
    let accounts = if recipients <= NAMED_WAKE_LIMIT {
        items::recipients_of(&state.db, ItemKind::Notice, notice_id).await.ok()
    } else {
        None
    };
    state.bus.publish(Wake::items(accounts)).await;
}

/// Sends scheduled notices whose time has come. Safe to run on several instances at once: each
/// notice is claimed by a conditional update inside the transaction that fans it out.
pub async fn send_due(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let due = repo::due(&state.db, now).await?;
    let (mut sent, mut expand) = (0, false);
    for pending in due {
        let txn = crate::infra::db::begin(&state.db).await?;
        if !repo::claim_sending(&txn, pending.id, now).await? {
            continue;
        }
        let notice_id = pending.id;
        let spec = serde_json::from_str(&pending.audience).unwrap_or_default();
        // The audience is resolved when the notice goes out, with the sender's reach at that time.
        let delivered = match audience::resolve(&txn, pending.sender_account_id, &spec, pending.school_id).await {
            Ok(resolved) => {
                let (notice, later) = deliver(&txn, pending, &resolved.target, now).await?;
                expand |= later;
                Some(notice)
            }
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
    if expand {
        expand_audiences(state).await?;
    }
    Ok(sent)
}

/// The notice as the caller may see it: recipients see their own answer and children; the sender
/// and the school's admins see the recipient count.
pub async fn view(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Notice> {
    let db = &state.db;
    let notice = repo::find(db, id).await?.ok_or_else(ApiError::not_found)?;
    let mut mine = my_state(db, user, id).await?;
    if mine.is_none() && settle_now(db, user, id).await? {
        mine = my_state(db, user, id).await?;
    }
    let manages = access::notice_reader(db, user, &notice, mine.is_some()).await?;
    let children = match &mine {
        Some(_) => my_children(db, user, id).await?,
        None => Vec::new(),
    };
    Ok(to_dto(notice, children, mine.map(my_response), manages))
}

/// The caller's state of a notice they received, while they still stand in the relationship it
/// reached them through: a notice about children the caller no longer cares for (a custody change
/// in a roster re-import) is no longer theirs to read or answer.
async fn my_state(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<Option<ReadState>> {
    let Some(state) = items::read_state(db, user.account_id, ItemKind::Notice, id).await? else { return Ok(None) };
    let children: Vec<Uuid> = my_children(db, user, id).await?.into_iter().map(|c| c.id).collect();
    if children.is_empty() || access::cares_for_any(db, user, &children).await? { Ok(Some(state)) } else { Ok(None) }
}

async fn my_children(db: &impl ConnectionTrait, user: &Caller, id: Uuid) -> ApiResult<Vec<ChildRef>> {
    Ok(items::children_refs(db, user.account_id, ItemKind::Notice, id).await?)
}

fn my_response(state: ReadState) -> MyResponse {
    MyResponse {
        read_at: state.read_at,
        responded_at: state.responded_at,
        option: state.response_option,
        text: state.response_text,
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
    let older = page.older_than(notice::Column::CreatedAt, notice::Column::Id)?;
    let rows = repo::sent_page(db, user.account_id, admin_schools, older, limit + 1).await?;
    let items = rows.into_iter().map(|n| to_dto(n, Vec::new(), None, true)).collect();
    Ok(Page::from_rows(items, limit, |n| crate::http::pagination::instant_key(n.created_at, n.id)))
}

/// The caller's state of a notice they received, refusing answers it cannot take.
async fn answerable(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: Uuid,
    mode: ResponseMode,
    now: DateTime<Utc>,
) -> ApiResult<(notice::Model, ReadState)> {
    let mut mine = my_state(db, user, id).await?;
    if mine.is_none() && settle(db, user, id).await? {
        mine = my_state(db, user, id).await?;
    }
    let mine = mine.ok_or_else(ApiError::not_found)?;
    let notice = repo::find(db, id).await?.ok_or_else(ApiError::not_found)?;
    rules::can_answer(&notice, mode, now)?;
    Ok((notice, mine))
}

/// Marks the notice read for the caller (idempotent: the first read time stays), in one
/// conditional update.
pub async fn mark_read(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<MyResponse> {
    let now = state.clock.now();
    items::mark_item_read(&state.db, user.account_id, ItemKind::Notice, id, now).await?;
    let mut mine = my_state(&state.db, user, id).await?;
    if mine.is_none() && settle_now(&state.db, user, id).await? {
        items::mark_item_read(&state.db, user.account_id, ItemKind::Notice, id, now).await?;
        mine = my_state(&state.db, user, id).await?;
    }
    Ok(my_response(mine.ok_or_else(ApiError::not_found)?))
}

/// One-tap acknowledgement (收到) of a `confirm` notice.
pub async fn confirm(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<MyResponse> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (_, mine) = answerable(&txn, user, id, ResponseMode::Confirm, now).await?;
    let answer =
        Answer { read_at: mine.read_at.unwrap_or(now), responded_at: mine.responded_at.unwrap_or(now), reply: None };
    let mine = items::record_answer(&txn, user.account_id, ItemKind::Notice, id, answer)
        .await?
        .ok_or_else(ApiError::not_found)?;
    txn.commit().await?;
    Ok(my_response(mine))
}

/// Answers a `reply` notice with one of its options (and a short text); answering again before
/// the deadline replaces the answer.
pub async fn reply(state: &AppState, user: &Caller, id: Uuid, req: ReplyRequest) -> ApiResult<MyResponse> {
    let now = state.clock.now();
    let Reply { option, text } = Reply::try_from(req)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let (notice, mine) = answerable(&txn, user, id, ResponseMode::Reply, now).await?;
    if !notice.options().contains(&option) {
        return Err(NoticeError::invalid(
            "option",
            "请从通知给出的选项中选择。",
            "Choose one of the notice's options.",
        )
        .into());
    }
    let answer = Answer { read_at: mine.read_at.unwrap_or(now), responded_at: now, reply: Some((option, text)) };
    let mine = items::record_answer(&txn, user.account_id, ItemKind::Notice, id, answer)
        .await?
        .ok_or_else(ApiError::not_found)?;
    txn.commit().await?;
    Ok(my_response(mine))
}

/// The notice, with the proof that the caller manages it.
async fn managed_notice(
    db: &impl ConnectionTrait,
    user: &Caller,
    id: Uuid,
) -> ApiResult<(notice::Model, NoticeManager)> {
    let notice = repo::find(db, id).await?.ok_or_else(ApiError::not_found)?;
    let proof = access::manage_notice(db, user, &notice, async { Ok(my_state(db, user, id).await?.is_some()) }).await?;
    Ok((notice, proof))
}

/// Who has read, confirmed or replied: counts, and per class the lists of who has not (of one
/// class at a time for a notice to several: see [`receipts::narrow`]).
pub async fn receipts(state: &AppState, user: &Caller, id: Uuid, class_id: Option<Uuid>) -> ApiResult<Receipts> {
    let db = &state.db;
    let (notice, _) = managed_notice(db, user, id).await?;
    expanded(state, id).await?;
    let states = items::read_states(db, ItemKind::Notice, id).await?;
    let (mut children, mut classes, mut student_names, mut guardian_names, mut staff_names) =
        (Vec::new(), Default::default(), Default::default(), Default::default(), Vec::new());
    match notice.recipient_kind {
        RecipientKind::Staff => {
            staff_names = crate::org::repo::staff_names_by_account(db, receipts::unread_accounts(&states)).await?;
        }
        RecipientKind::Family => {
            children = items::children_of_item(db, ItemKind::Notice, id).await?;
            classes = crate::org::repo::classes_by_id(db, children.iter().map(|c| c.class_id).collect()).await?;
            student_names =
                crate::org::repo::student_names(db, children.iter().map(|c| c.student_id).collect()).await?;
            guardian_names =
                crate::org::repo::guardian_names_by_account(db, states.iter().map(|s| s.account_id).collect()).await?;
        }
    }
    let mut answer = receipts::assemble(ReceiptFacts {
        notice: &notice,
        states: &states,
        children: &children,
        classes: &classes,
        student_names: &student_names,
        guardian_names: &guardian_names,
        staff_names: &staff_names,
    });
    if !receipts::narrow(&mut answer, class_id) {
        return Err(ApiError::not_found());
    }
    Ok(answer)
}

/// Recalls a notice: within 24 hours of sending (a scheduled notice, any time before it goes out).
/// Recipients keep the item, shown as recalled, without its body.
pub async fn recall(state: &AppState, user: &Caller, id: Uuid) -> ApiResult<Notice> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    let (notice, _) = managed_notice(&txn, user, id).await?;
    rules::can_recall(&notice, now)?;
    let mut active = notice.into_active_model();
    active.recalled_at = Set(Some(now));
    let notice = repo::update(&txn, active).await?;
    items::withdraw(&txn, ItemKind::Notice, notice.id, now).await?;
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
    expanded(state, id).await?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let (notice, _) = managed_notice(&txn, user, id).await?;
    rules::can_remind(&notice, now)?;
    let previous = crate::delivery::service::last_reminder_round(&txn, REMINDER_KIND, id).await?;
    let after = outbox::deliver_after(&txn, notice.school_id, false, now).await?;
    let round = previous.unwrap_or(0) + 1;
    let reminder = Delivery::of(ItemKind::Notice, id, notice.school_id, When::At(after)).reminder(
        REMINDER_KIND,
        round,
        reminder_recipients(notice.response_mode),
    );
    let reminded = outbox::enqueue(&txn, reminder, now).await?;
    let mut active = notice.into_active_model();
    active.last_reminded_at = Set(Some(now));
    repo::update(&txn, active).await?;
    txn.commit().await?;
    Ok(Reminded { reminded })
}

/// The automatic reminder before a deadline, once per notice, to those who have not answered.
/// Safe on several instances: each notice is claimed by a conditional update.
pub async fn remind_before_deadlines(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let horizon = now + Duration::hours(DEADLINE_REMINDER_HOURS);
    let due = repo::deadlines_between(&state.db, now, horizon).await?;
    let mut reminded = 0;
    for n in due {
        let txn = crate::infra::db::begin(&state.db).await?;
        if repo::claim_deadline_reminder(&txn, n.id, now).await? {
            let after = outbox::deliver_after(&txn, n.school_id, false, now).await?;
            let reminder = Delivery::of(ItemKind::Notice, n.id, n.school_id, When::At(after)).reminder(
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
