//! The complaint workflow: a guardian files, the bureau forwards or closes, the school responds,
//! the bureau closes with an outcome; each holder has three school days, and the reminder job
//! tells whoever holds a complaint past its deadline. Every step appends an event; nothing is ever
//! edited away or deleted.
//!
//! Anonymity is decided here, once: the school reads a complaint only after the bureau forwarded
//! it, and then the family only when [`rules::school_sees_family`] says so. Nothing the school
//! receives about a complaint (its view, its list, its inbox items and emails) names the family,
//! and a failed delivery to the family is never shown to the school's admins (the family's and
//! the bureau's items carry no school).

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use uuid::Uuid;

use super::dto::{
    Close, Complainant, Complaint, ComplaintAttachment, ComplaintEvent, ComplaintList, ComplaintSummary, FileComplaint,
    Forward, Respond, TEXT_MAX_CHARS,
};
use super::model::{Actor, EventKind, Status, attachment, complaint, event};
use super::rules;
use crate::access::{self, Caller};
use crate::delivery::outbox;
use crate::error::{ApiError, ApiResult, Code};
use crate::inbox::items::Entry;
use crate::inbox::model::ItemKind;
use crate::input::{optional, required};
use crate::org::model::school;
use crate::state::AppState;

/// Who is reading a complaint, which decides what they see of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reader {
    /// The guardian who filed it.
    Family,
    /// An officer of its district.
    Bureau,
    /// An admin of its school, once the bureau forwarded it.
    School,
}

async fn school_of(db: &impl ConnectionTrait, id: Uuid) -> ApiResult<school::Model> {
    crate::org::repo::school(db, id).await?.ok_or_else(ApiError::not_found)
}

/// When a holder that got the complaint at `now` must have acted: the end of its third school day.
async fn deadline(db: &impl ConnectionTrait, school: &school::Model, now: DateTime<Utc>) -> ApiResult<DateTime<Utc>> {
    let today = school.local_date(now);
    let calendar = crate::calendar::service::calendar(db, school.id, today, today + Duration::days(60)).await?;
    Ok(school.day_starts(rules::last_day(&calendar, today) + Duration::days(1)))
}

/// Of these complaints, those the bureau forwarded to their school.
pub async fn forwarded_among(db: &impl ConnectionTrait, ids: Vec<Uuid>) -> ApiResult<Vec<Uuid>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(event::Entity::find()
        .select_only()
        .column(event::Column::ComplaintId)
        .filter(event::Column::ComplaintId.is_in(ids))
        .filter(event::Column::Kind.eq(EventKind::Forwarded))
        .into_tuple()
        .all(db)
        .await?)
}

async fn forwarded(db: &impl ConnectionTrait, complaint_id: Uuid) -> ApiResult<bool> {
    Ok(!forwarded_among(db, vec![complaint_id]).await?.is_empty())
}

/// Whether the holder's deadline has passed.
fn overdue(c: &complaint::Model, now: DateTime<Utc>) -> bool {
    c.due_at.is_some_and(|due| due <= now)
}

/// The caller as a reader of the complaint; anyone else gets 404 (a school never learns that a
/// complaint it was not sent exists).
async fn reader(db: &impl ConnectionTrait, caller: &Caller, c: &complaint::Model) -> ApiResult<Reader> {
    if c.filed_by == caller.account_id {
        return Ok(Reader::Family);
    }
    let officers = crate::org::repo::officers_of_account(db, caller.account_id).await?;
    if officers.iter().any(|o| o.district_id == c.district_id) {
        return Ok(Reader::Bureau);
    }
    if access::administers(db, caller, c.school_id).await? && forwarded(db, c.id).await? {
        return Ok(Reader::School);
    }
    Err(ApiError::not_found())
}

async fn complainant(db: &impl ConnectionTrait, c: &complaint::Model) -> ApiResult<Option<Complainant>> {
    let Some(student) = crate::org::repo::student(db, c.student_id).await? else { return Ok(None) };
    let class = crate::org::repo::classes_by_id(db, vec![student.class_id]).await?.remove(&student.class_id);
    let account = crate::org::repo::account(db, c.filed_by).await?;
    let guardian = crate::org::repo::guardian_names_by_account(db, vec![c.filed_by]).await?.remove(&c.filed_by);
    Ok(Some(Complainant {
        guardian_name: guardian.or_else(|| account.as_ref().map(|a| a.display_name.clone())).unwrap_or_default(),
        guardian_phone: account.and_then(|a| a.phone),
        student_id: student.id,
        student_name: student.name,
        grade: class.as_ref().map_or(0, |c| c.grade),
        class_number: class.as_ref().map_or(0, |c| c.number),
    }))
}

/// The complaint as `reader` may see it.
async fn view(
    db: &impl ConnectionTrait,
    c: complaint::Model,
    reader: Reader,
    now: DateTime<Utc>,
) -> ApiResult<Complaint> {
    let school = school_of(db, c.school_id).await?;
    let events = event::Entity::find()
        .filter(event::Column::ComplaintId.eq(c.id))
        .order_by_asc(event::Column::N)
        .all(db)
        .await?
        .into_iter()
        .filter(|e| reader != Reader::Family || e.kind != EventKind::Reminded)
        .map(|e| {
            // The family reads the school's response and the outcome, not the bureau's note to
            // the school; the school reads the outcome, not the bureau's closing words to the
            // family (they may name it). The complaint's own text is above, once.
            let shown = !matches!(
                (reader, e.kind),
                (_, EventKind::Filed | EventKind::Reminded)
                    | (Reader::Family, EventKind::Forwarded)
                    | (Reader::School, EventKind::Closed)
            );
            ComplaintEvent {
                kind: e.kind,
                actor: e.actor,
                text: (shown && !e.text.is_empty()).then_some(e.text),
                at: e.created_at,
            }
        })
        .collect();
    let sees_family = match reader {
        Reader::Bureau => true,
        Reader::School => rules::school_sees_family(c.anonymous_to_school, c.identity_shared),
        Reader::Family => false,
    };
    Ok(Complaint {
        id: c.id,
        school_id: c.school_id,
        school_name: school.name,
        category: c.category,
        text: c.text.clone(),
        anonymous_to_school: c.anonymous_to_school,
        status: c.status,
        due_at: c.due_at,
        overdue: overdue(&c, now),
        outcome: c.outcome,
        created_at: c.created_at,
        closed_at: c.closed_at,
        complainant: if sees_family { complainant(db, &c).await? } else { None },
        attachments: attachment::Entity::find()
            .filter(attachment::Column::ComplaintId.eq(c.id))
            .order_by_asc(attachment::Column::N)
            .all(db)
            .await?
            .into_iter()
            .filter(|a| reader != Reader::School || sees_family || rules::opens_without_family(&a.content_type))
            .map(|a| ComplaintAttachment {
                id: a.id,
                file_name: rules::attachment_name(
                    a.n,
                    &a.file_name,
                    &a.content_type,
                    reader != Reader::School || sees_family,
                ),
                content_type: a.content_type,
                size_bytes: a.size_bytes,
            })
            .collect(),
        events,
    })
}

async fn append(
    db: &impl ConnectionTrait,
    complaint_id: Uuid,
    kind: EventKind,
    actor: Actor,
    account: Option<Uuid>,
    text: String,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    let n = event::Entity::find().filter(event::Column::ComplaintId.eq(complaint_id)).count(db).await? as i32 + 1;
    event::Entity::insert(event::ActiveModel {
        id: Set(Uuid::new_v4()),
        complaint_id: Set(complaint_id),
        n: Set(n),
        kind: Set(kind),
        actor: Set(actor),
        actor_account_id: Set(account),
        text: Set(text),
        created_at: Set(now),
    })
    .exec_without_returning(db)
    .await?;
    Ok(())
}

/// Tells `accounts` about a step (inbox, push and email): one item per step and audience, since an
/// item says the same to all its recipients and the family, the bureau and the school are told
/// different things. `school` is set only for the school's own admins: the family's and the
/// bureau's items never show up among the school's failed deliveries. Each item opens the
/// complaint (`subject_id`); `(title, body)` is what it says.
async fn tell(
    db: &impl ConnectionTrait,
    complaint_id: Uuid,
    accounts: &[Uuid],
    school: Option<Uuid>,
    sender: &str,
    (title, body): (String, String),
    now: DateTime<Utc>,
) -> ApiResult<()> {
    if accounts.is_empty() {
        return Ok(());
    }
    let entry = Entry {
        kind: ItemKind::Complaint,
        ref_id: Uuid::new_v4(),
        title,
        body,
        sender_name: sender.to_owned(),
        urgent: false,
        needs_response: false,
        // The app opens the complaint from any of its steps.
        subject_id: Some(complaint_id),
    };
    outbox::tell(db, school, None, accounts, entry, now).await?;
    Ok(())
}

async fn district_name(db: &impl ConnectionTrait, district_id: Uuid) -> ApiResult<String> {
    Ok(crate::org::repo::district(db, district_id).await?.map_or_else(|| "教育局".to_owned(), |d| d.name))
}

/// A guardian files a complaint about their child's school. Any guardian of the child but a
/// pickup-only adult may (that one gets 404, as everywhere); the text is not screened by the
/// content guard (a complaint quotes what the rules forbid).
pub async fn file(state: &AppState, caller: &Caller, req: FileComplaint) -> ApiResult<Complaint> {
    let text = required("text", &req.text, TEXT_MAX_CHARS)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    // Full and informational guardians; a pickup-only adult does not see the child at all.
    let guardian = access::guardian_of(&txn, caller, req.student_id).await?;
    let school = school_of(&txn, guardian.student.school_id).await?;
    let now = state.clock.now();
    let row = complaint::Model {
        id: Uuid::new_v4(),
        district_id: school.district_id,
        school_id: school.id,
        student_id: guardian.student.id,
        filed_by: caller.account_id,
        category: req.category,
        text,
        anonymous_to_school: req.anonymous_to_school,
        identity_shared: false,
        status: Status::Received,
        due_at: Some(deadline(&txn, &school, now).await?),
        reminded_at: None,
        first_response_at: None,
        outcome: None,
        created_at: now,
        updated_at: now,
        closed_at: None,
    };
    complaint::Entity::insert(complaint::ActiveModel::from(row.clone())).exec_without_returning(&txn).await?;
    append(&txn, row.id, EventKind::Filed, Actor::Family, Some(caller.account_id), String::new(), now).await?;
    let district = district_name(&txn, school.district_id).await?;
    let category = req.category.zh();
    tell(
        &txn,
        row.id,
        &[caller.account_id],
        None,
        &district,
        (
            "投诉已收到".into(),
            format!("您关于{}（{category}）的投诉已提交{district}，将在 3 个工作日内处理。", school.name),
        ),
        now,
    )
    .await?;
    let officers = crate::org::repo::officer_accounts(&txn, school.district_id).await?;
    tell(
        &txn,
        row.id,
        &officers,
        None,
        &district,
        (format!("新投诉：{} · {category}", school.name), String::new()),
        now,
    )
    .await?;
    let complaint = view(&txn, row, Reader::Family, now).await?;
    txn.commit().await?;
    Ok(complaint)
}

pub async fn get(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<Complaint> {
    let db = &state.db;
    let c = complaint::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let reader = reader(db, caller, &c).await?;
    view(db, c, reader, state.clock.now()).await
}

/// The family adds a photo or PDF to its open complaint (up to [`rules::MAX_ATTACHMENTS`]). A
/// photo is stored without its metadata: a phone's picture carries where it was taken, and an
/// anonymous family must not be found by it.
pub async fn attach(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    file_name: &str,
    bytes: &[u8],
) -> ApiResult<ComplaintAttachment> {
    let now = state.clock.now();
    let txn = crate::infra::db::begin(&state.db).await?;
    // The complaint's row locked: two uploads at once count each other.
    let c = complaint::Entity::find_by_id(id).lock_exclusive().one(&txn).await?.ok_or_else(ApiError::not_found)?;
    match reader(&txn, caller, &c).await? {
        Reader::Family => {}
        Reader::Bureau | Reader::School => return Err(ApiError::forbidden()),
    }
    if c.status == Status::Closed {
        return Err(ApiError::new(Code::ComplaintState));
    }
    // Only then the file: a stranger learns nothing from how their bytes are judged.
    let content_type = crate::files::sniff(bytes).ok_or_else(|| ApiError::new(Code::UnsupportedAttachmentType))?;
    let cleaned = crate::files::without_metadata(bytes).ok_or_else(|| {
        ApiError::validation(
            "body",
            "无法读取该图片的格式，请重新截图或导出后再上传。",
            "The image's format cannot be read; take or export it again and upload that.",
        )
    })?;
    let added = attachment::Entity::find().filter(attachment::Column::ComplaintId.eq(c.id)).count(&txn).await?;
    if added as usize >= rules::MAX_ATTACHMENTS {
        return Err(ApiError::validation(
            "body",
            format!("每条投诉最多 {} 个附件。", rules::MAX_ATTACHMENTS),
            format!("A complaint takes at most {} attachments.", rules::MAX_ATTACHMENTS),
        ));
    }
    let attachment_id = Uuid::new_v4();
    let row = attachment::Model {
        id: attachment_id,
        complaint_id: c.id,
        n: added as i32 + 1,
        file_name: crate::files::clean_file_name(file_name),
        content_type: content_type.into(),
        size_bytes: cleaned.len() as i64,
        storage_path: format!("complaints/{}/{attachment_id}", c.id),
        created_at: now,
    };
    let path = state.settings.attachments_dir().join(&row.storage_path);
    if let Some(folder) = path.parent() {
        tokio::fs::create_dir_all(folder).await.map_err(ApiError::internal)?;
    }
    tokio::fs::write(&path, &cleaned).await.map_err(ApiError::internal)?;
    let stored = async {
        attachment::Entity::insert(attachment::ActiveModel::from(row.clone())).exec_without_returning(&txn).await?;
        txn.commit().await?;
        Ok::<_, ApiError>(())
    };
    if let Err(error) = stored.await {
        let _ = tokio::fs::remove_file(&path).await; // no orphan file without its row
        return Err(error);
    }
    Ok(ComplaintAttachment {
        id: row.id,
        file_name: row.file_name,
        content_type: row.content_type,
        size_bytes: row.size_bytes,
    })
}

/// An attachment's name (as this reader may see it), type and bytes: for whoever may read the
/// complaint.
pub async fn attachment_file(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    attachment_id: Uuid,
) -> ApiResult<(String, String, Vec<u8>)> {
    let db = &state.db;
    let c = complaint::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    let reader = reader(db, caller, &c).await?;
    let a = attachment::Entity::find_by_id(attachment_id)
        .one(db)
        .await?
        .filter(|a| a.complaint_id == c.id)
        .ok_or_else(ApiError::not_found)?;
    let knows_family = reader != Reader::School || rules::school_sees_family(c.anonymous_to_school, c.identity_shared);
    if !knows_family && !rules::opens_without_family(&a.content_type) {
        return Err(ApiError::not_found());
    }
    let bytes =
        tokio::fs::read(state.settings.attachments_dir().join(&a.storage_path)).await.map_err(ApiError::internal)?;
    Ok((rules::attachment_name(a.n, &a.file_name, &a.content_type, knows_family), a.content_type, bytes))
}

/// Moves the complaint from the status it was read in to the one `step` leads to, hands it to its
/// next holder with a fresh deadline, and appends the step. The update is conditional on the
/// status read, so of two steps at once one wins and the other is refused. The actor and their account take it.
async fn advance(
    db: &impl ConnectionTrait,
    c: &complaint::Model,
    school: &school::Model,
    step: EventKind,
    (actor, account): (Actor, Uuid),
    text: String,
    now: DateTime<Utc>,
) -> ApiResult<complaint::Model> {
    let state_error = || ApiError::new(Code::ComplaintState).with_details(serde_json::json!({ "status": c.status }));
    let to = rules::next(c.status, step).ok_or_else(state_error)?;
    let due = match to {
        Status::Closed => None,
        _ => Some(deadline(db, school, now).await?),
    };
    let mut next = c.clone();
    next.status = to;
    next.due_at = due;
    next.reminded_at = None;
    next.first_response_at = c.first_response_at.or(Some(now));
    next.updated_at = now;
    if to == Status::Closed {
        next.closed_at = Some(now);
    }
    let changes = complaint::ActiveModel {
        status: Set(to),
        due_at: Set(next.due_at),
        reminded_at: Set(None),
        first_response_at: Set(next.first_response_at),
        identity_shared: Set(next.identity_shared),
        outcome: Set(next.outcome),
        closed_at: Set(next.closed_at),
        updated_at: Set(now),
        ..Default::default()
    };
    let updated = complaint::Entity::update_many()
        .set(changes)
        .filter(complaint::Column::Id.eq(c.id))
        .filter(complaint::Column::Status.eq(c.status))
        .exec(db)
        .await?;
    if updated.rows_affected != 1 {
        return Err(state_error());
    }
    append(db, c.id, step, actor, Some(account), text, now).await?;
    Ok(next)
}

async fn for_bureau(db: &impl ConnectionTrait, caller: &Caller, id: Uuid) -> ApiResult<complaint::Model> {
    let c = complaint::Entity::find_by_id(id).one(db).await?.ok_or_else(ApiError::not_found)?;
    match reader(db, caller, &c).await? {
        Reader::Bureau => Ok(c),
        _ => Err(ApiError::forbidden()),
    }
}

/// The bureau sends the complaint to the school, hiding the family or (when the family did not
/// ask for anonymity) naming it.
pub async fn forward(state: &AppState, caller: &Caller, id: Uuid, req: Forward) -> ApiResult<Complaint> {
    let note = optional("note", req.note.as_deref().unwrap_or(""), TEXT_MAX_CHARS)?.unwrap_or_default();
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut c = for_bureau(&txn, caller, id).await?;
    if req.share_identity && c.anonymous_to_school {
        return Err(ApiError::validation(
            "share_identity",
            "家长要求对学校匿名，不能向学校透露其身份。",
            "The family asked to stay anonymous to the school: its identity cannot be shared.",
        ));
    }
    c.identity_shared = req.share_identity;
    let now = state.clock.now();
    let school = school_of(&txn, c.school_id).await?;
    let next = advance(&txn, &c, &school, EventKind::Forwarded, (Actor::Bureau, caller.account_id), note, now).await?;
    let district = district_name(&txn, c.district_id).await?;
    let category = c.category.zh();
    tell(
        &txn,
        c.id,
        &[c.filed_by],
        None,
        &district,
        ("投诉已转交学校处理".into(), format!("{}（{category}）", school.name)),
        now,
    )
    .await?;
    let admins = crate::org::repo::admin_accounts(&txn, vec![c.school_id]).await?;
    let due = next.due_at.map(|d| school.local_date(d - Duration::seconds(1)).to_string()).unwrap_or_default();
    tell(
        &txn,
        c.id,
        &admins,
        Some(school.id),
        &district,
        (format!("{district}转来投诉：{category}"), format!("请于 {due} 前回复。")),
        now,
    )
    .await?;
    let complaint = view(&txn, next, Reader::Bureau, now).await?;
    txn.commit().await?;
    Ok(complaint)
}

/// The school's admin answers a complaint the bureau forwarded to it.
pub async fn respond(state: &AppState, caller: &Caller, id: Uuid, req: Respond) -> ApiResult<Complaint> {
    let text = required("text", &req.text, TEXT_MAX_CHARS)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let c = complaint::Entity::find_by_id(id).one(&txn).await?.ok_or_else(ApiError::not_found)?;
    if reader(&txn, caller, &c).await? != Reader::School {
        return Err(ApiError::forbidden());
    }
    let now = state.clock.now();
    let school = school_of(&txn, c.school_id).await?;
    let next = advance(&txn, &c, &school, EventKind::Responded, (Actor::School, caller.account_id), text, now).await?;
    let district = district_name(&txn, c.district_id).await?;
    tell(&txn, c.id, &[c.filed_by], None, &school.name, ("学校已回复您的投诉".into(), String::new()), now).await?;
    let officers = crate::org::repo::officer_accounts(&txn, c.district_id).await?;
    tell(&txn, c.id, &officers, None, &district, (format!("{}已回复投诉，待结案", school.name), String::new()), now)
        .await?;
    let complaint = view(&txn, next, Reader::School, now).await?;
    txn.commit().await?;
    Ok(complaint)
}

/// The bureau closes the complaint with an outcome; the family is told it, and so is the school
/// when it was sent the complaint.
pub async fn close(state: &AppState, caller: &Caller, id: Uuid, req: Close) -> ApiResult<Complaint> {
    let text = required("text", &req.text, TEXT_MAX_CHARS)?;
    let txn = crate::infra::db::begin(&state.db).await?;
    let mut c = for_bureau(&txn, caller, id).await?;
    c.outcome = Some(req.outcome);
    let now = state.clock.now();
    let school = school_of(&txn, c.school_id).await?;
    let next = advance(&txn, &c, &school, EventKind::Closed, (Actor::Bureau, caller.account_id), text, now).await?;
    let district = district_name(&txn, c.district_id).await?;
    let outcome = req.outcome.zh();
    tell(&txn, c.id, &[c.filed_by], None, &district, (format!("投诉已办结：{outcome}"), String::new()), now).await?;
    if forwarded(&txn, c.id).await? {
        let admins = crate::org::repo::admin_accounts(&txn, vec![c.school_id]).await?;
        tell(&txn, c.id, &admins, Some(school.id), &district, (format!("投诉已办结：{outcome}"), String::new()), now)
            .await?;
    }
    let complaint = view(&txn, next, Reader::Bureau, now).await?;
    txn.commit().await?;
    Ok(complaint)
}

fn summaries(
    rows: Vec<complaint::Model>,
    names: &std::collections::HashMap<Uuid, school::Model>,
    now: DateTime<Utc>,
) -> ComplaintList {
    ComplaintList {
        items: rows
            .into_iter()
            .map(|c| ComplaintSummary {
                id: c.id,
                school_id: c.school_id,
                school_name: names.get(&c.school_id).map(|s| s.name.clone()).unwrap_or_default(),
                category: c.category,
                status: c.status,
                due_at: c.due_at,
                overdue: overdue(&c, now),
                created_at: c.created_at,
            })
            .collect(),
    }
}

async fn listed(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<complaint::Entity>,
    status: Option<Status>,
    now: DateTime<Utc>,
) -> ApiResult<ComplaintList> {
    let select = match status {
        Some(status) => select.filter(complaint::Column::Status.eq(status)),
        None => select,
    };
    let rows = select.order_by_desc(complaint::Column::CreatedAt).order_by_asc(complaint::Column::Id).all(db).await?;
    let schools = crate::org::repo::schools_by_id(db, rows.iter().map(|c| c.school_id).collect()).await?;
    Ok(summaries(rows, &schools, now))
}

/// The complaints the caller filed.
pub async fn mine(state: &AppState, caller: &Caller, status: Option<Status>) -> ApiResult<ComplaintList> {
    let select = complaint::Entity::find().filter(complaint::Column::FiledBy.eq(caller.account_id));
    listed(&state.db, select, status, state.clock.now()).await
}

/// Every complaint of the district (its officers).
pub async fn of_district(
    state: &AppState,
    caller: &Caller,
    district_id: Uuid,
    status: Option<Status>,
) -> ApiResult<ComplaintList> {
    access::bureau_officer_of(&state.db, caller, district_id).await?;
    let select = complaint::Entity::find().filter(complaint::Column::DistrictId.eq(district_id));
    listed(&state.db, select, status, state.clock.now()).await
}

/// The complaints the bureau forwarded to the school (its admins); others, never.
pub async fn of_school(
    state: &AppState,
    caller: &Caller,
    school_id: Uuid,
    status: Option<Status>,
) -> ApiResult<ComplaintList> {
    access::school_admin(&state.db, caller, school_id).await?;
    let of_school: Vec<Uuid> = complaint::Entity::find()
        .select_only()
        .column(complaint::Column::Id)
        .filter(complaint::Column::SchoolId.eq(school_id))
        .into_tuple()
        .all(&state.db)
        .await?;
    let sent = forwarded_among(&state.db, of_school).await?;
    let select = complaint::Entity::find()
        .filter(complaint::Column::SchoolId.eq(school_id))
        .filter(complaint::Column::Id.is_in(sent));
    listed(&state.db, select, status, state.clock.now()).await
}

/// Reminds whoever holds a complaint past its deadline, once per holding: the bureau for a
/// received or responded one, the school's admins for a forwarded one. Returns how many.
pub async fn remind_overdue(state: &AppState) -> ApiResult<u64> {
    let now = state.clock.now();
    let due = complaint::Entity::find()
        .filter(complaint::Column::Status.ne(Status::Closed))
        .filter(complaint::Column::DueAt.lte(now))
        .filter(complaint::Column::RemindedAt.is_null())
        .all(&state.db)
        .await?;
    let mut reminded = 0;
    for c in due {
        // One complaint that fails is logged and tried again on the next run; the rest go on.
        match remind(state, &c, now).await {
            Ok(true) => reminded += 1,
            Ok(false) => {}
            Err(error) => tracing::error!(complaint = %c.id, "reminding the holder of a complaint failed: {error}"),
        }
    }
    Ok(reminded)
}

/// Reminds the holder of one overdue complaint, unless another run already did: `true` if this one did.
async fn remind(state: &AppState, c: &complaint::Model, now: DateTime<Utc>) -> ApiResult<bool> {
    let txn = crate::infra::db::begin(&state.db).await?;
    let claimed = complaint::Entity::update_many()
        .set(complaint::ActiveModel { reminded_at: Set(Some(now)), ..Default::default() })
        .filter(complaint::Column::Id.eq(c.id))
        .filter(complaint::Column::Status.eq(c.status))
        .filter(complaint::Column::RemindedAt.is_null())
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Ok(false);
    }
    append(&txn, c.id, EventKind::Reminded, Actor::System, None, String::new(), now).await?;
    let school = school_of(&txn, c.school_id).await?;
    let district = district_name(&txn, c.district_id).await?;
    let category = c.category.zh();
    let title = format!("投诉处理已逾期：{} · {category}", school.name);
    if c.status == Status::Forwarded {
        let admins = crate::org::repo::admin_accounts(&txn, vec![c.school_id]).await?;
        tell(&txn, c.id, &admins, Some(school.id), &district, (title, "请尽快回复。".into()), now).await?;
    } else {
        let officers = crate::org::repo::officer_accounts(&txn, c.district_id).await?;
        tell(&txn, c.id, &officers, None, &district, (title, String::new()), now).await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// The district's complaints filed from `since` (included) to `until` (excluded), and those open
/// past their deadline at `now` whenever filed: what the bureau's dashboard counts.
pub async fn for_figures(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
    now: DateTime<Utc>,
) -> ApiResult<(Vec<complaint::Model>, Vec<complaint::Model>)> {
    let filed = complaint::Entity::find()
        .filter(complaint::Column::DistrictId.eq(district_id))
        .filter(complaint::Column::CreatedAt.gte(since))
        .filter(complaint::Column::CreatedAt.lt(until))
        .all(db)
        .await?;
    let overdue = complaint::Entity::find()
        .filter(complaint::Column::DistrictId.eq(district_id))
        .filter(complaint::Column::Status.ne(Status::Closed))
        .filter(complaint::Column::DueAt.lte(now))
        .all(db)
        .await?;
    Ok((filed, overdue))
}

/// The school of each complaint of the district whose *school* was reminded of a passed deadline
/// from `since` (included) to `until` (excluded): a reminder given while the complaint was with the
/// school (its last step before the reminder a forwarding). The bureau's own delays are not the
/// school's, and a complaint never forwarded is not the school's to know of. Read from the
/// append-only history, so a past half-month always counts the same.
pub async fn school_overdue_between(
    db: &impl ConnectionTrait,
    district_id: Uuid,
    (since, until): (DateTime<Utc>, DateTime<Utc>),
) -> ApiResult<Vec<Uuid>> {
    let reminded: Vec<Uuid> = event::Entity::find()
        .select_only()
        .column(event::Column::ComplaintId)
        .filter(event::Column::Kind.eq(EventKind::Reminded))
        .filter(event::Column::CreatedAt.gte(since))
        .filter(event::Column::CreatedAt.lt(until))
        .into_tuple()
        .all(db)
        .await?;
    if reminded.is_empty() {
        return Ok(Vec::new());
    }
    let schools: std::collections::HashMap<Uuid, Uuid> = complaint::Entity::find()
        .filter(complaint::Column::DistrictId.eq(district_id))
        .filter(complaint::Column::Id.is_in(reminded.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|c| (c.id, c.school_id))
        .collect();
    let history = event::Entity::find()
        .filter(event::Column::ComplaintId.is_in(schools.keys().copied().collect::<Vec<_>>()))
        .order_by_asc(event::Column::ComplaintId)
        .order_by_asc(event::Column::N)
        .all(db)
        .await?;
    let mut found = Vec::new();
    let mut last_step: Option<(Uuid, EventKind)> = None;
    for e in &history {
        if last_step.is_some_and(|(id, _)| id != e.complaint_id) {
            last_step = None;
        }
        if e.kind == EventKind::Reminded {
            let with_school = last_step.is_some_and(|(_, kind)| kind == EventKind::Forwarded);
            if with_school
                && e.created_at >= since
                && e.created_at < until
                && let Some(school) = schools.get(&e.complaint_id)
            {
                found.push(*school);
            }
        } else {
            last_step = Some((e.complaint_id, e.kind));
        }
    }
    Ok(found)
}
