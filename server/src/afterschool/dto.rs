//! Request and response bodies of the after-school endpoints. Times are "HH:MM" in the school's
//! time zone; weekdays 1 (Monday) to 5 (Friday); money in fen (分).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::model::{
    Allocation, Category, EnrolmentPhase, EnrolmentStatus, ExtendedCareStatus, FeeEntryKind, FeeKind, FeePer,
    PlanStatus, ProviderKind, ProviderStanding, ReleasedTo, RollStatus, SessionKind,
};
use super::rules::{DECLINE_HOURS, OFF_WORK_TIME, WEEKDAYS};
use super::service::lottery_rules::MAX_WEEKLY_SESSIONS;
use super::service::white_list::CREDIT_CODE;
use super::service::{
    CAPACITY, DESCRIPTION_MAX_CHARS, FEE_FEN, MAX_ROLL_ENTRIES, MAX_SESSIONS, PHONE, RANKS, REASON_MAX_CHARS,
    ROOM_MAX_CHARS, SEED_MAX_CHARS,
};
use crate::http::constraints::{FieldRule, Rule};
use crate::input::CLOCK_TIME;
use crate::org::model::{AccessLevel, FIRST_GRADE, LAST_GRADE, NAME_MAX_CHARS};

/// A term plan: the service sessions per weekday.
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreatePlan {
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub sessions: Vec<SessionInput>,
}

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct SessionInput {
    /// 1 (Monday) to 5 (Friday).
    pub weekday: u8,
    pub kind: SessionKind,
    #[schema(example = "15:40")]
    pub start: String,
    #[schema(example = "17:50")]
    pub end: String,
    /// Grades served; empty or absent for every grade.
    #[serde(default)]
    pub grades: Vec<u8>,
}

/// A plan rule the plan breaks (`AS_5_PLUS_2`, `AS_END_TIME`, `AS_EVENING_STUDY`).
#[derive(Debug, Serialize, ToSchema)]
pub struct Breach {
    #[schema(example = "AS_END_TIME")]
    pub rule: &'static str,
    pub weekday: u8,
    /// What breaks the rule and how to fix it, in the request's language.
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Plan {
    pub id: Uuid,
    pub school_id: Uuid,
    pub term_start: NaiveDate,
    pub term_end: NaiveDate,
    pub status: PlanStatus,
    pub sessions: Vec<SessionInput>,
    /// Rules the plan breaks today: a draft may break them; publishing refuses until none is left.
    pub breaches: Vec<Breach>,
    pub published_at: Option<DateTime<Utc>>,
    /// The enrolment window and where it stands now.
    pub enrolment: EnrolmentWindowView,
    /// The rules of the plan's lottery (and the weekly limit first-come seats keep too).
    pub lottery_rules: LotteryRules,
}

/// The rules a school chooses for its lottery, stated with every draw's seed.
#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
pub struct LotteryRules {
    /// Most elective sessions a week per child (an activity counts once per weekday it meets);
    /// none when absent.
    #[serde(default)]
    pub weekly_limit: Option<u8>,
    /// Children who applied last term and got none of their choices are drawn first.
    #[serde(default)]
    pub none_last_term_first: bool,
    /// Siblings sit together in the order, and a sibling's seat pulls the others who chose the
    /// same activity into it.
    #[serde(default)]
    pub siblings_together: bool,
}

/// When families may enrol: the first round (`opens_at` to `closes_at`: first-come seats and
/// lottery applications); at `closes_at` the lottery is drawn and activities below their minimum
/// size are cancelled (families told); then, until `add_drop_closes_at`, the seats left go
/// first-come (lottery activities included); then the rosters lock.
#[derive(Debug, Deserialize, ToSchema)]
pub struct EnrolmentWindow {
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    /// No add/drop round when absent: the rosters lock at `closes_at`.
    #[serde(default)]
    pub add_drop_closes_at: Option<DateTime<Utc>>,
    /// How long a family promoted from the wait list may give the seat back with everything
    /// refunded: 1–168 hours; 48 when absent.
    #[serde(default)]
    pub decline_hours: Option<u16>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EnrolmentWindowView {
    pub opens_at: Option<DateTime<Utc>>,
    pub closes_at: Option<DateTime<Utc>>,
    pub add_drop_closes_at: Option<DateTime<Utc>>,
    /// A promoted family's time to decline with everything refunded (the school's, or 48).
    pub decline_hours: u16,
    pub phase: EnrolmentPhase,
    /// When the first round's close ran (lottery drawn, small activities cancelled).
    pub closed_at: Option<DateTime<Utc>>,
}

/// Who runs an activity (`AS_PROVIDERS`).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Provider {
    pub kind: ProviderKind,
    /// The teacher's, volunteer's or institution's name (an institution's comes from its
    /// white-list entry).
    #[serde(default)]
    pub name: String,
    /// An institution's entry on the district's white list (`GET
    /// /districts/{id}/afterschool/providers`): required for `institution`, listed and valid today.
    #[serde(default)]
    pub white_list_id: Option<Uuid>,
}

/// What an activity costs the family (`AS_FEES`).
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
pub struct Fee {
    pub kind: FeeKind,
    /// In fen, per `per`; required unless `free`.
    #[serde(default)]
    pub amount_fen: Option<i64>,
    /// What the amount pays for: the term (default; a child joining late pays for the sessions
    /// left, pro rata) or each session.
    #[serde(default)]
    pub per: FeePer,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateActivity {
    pub name: String,
    pub category: Category,
    #[serde(default)]
    pub description: String,
    pub weekdays: Vec<u8>,
    #[schema(example = "16:00")]
    pub start: String,
    #[schema(example = "17:30")]
    pub end: String,
    /// Eligible grades; empty for every grade.
    #[serde(default)]
    pub grades: Vec<u8>,
    #[serde(default)]
    pub room: Option<String>,
    pub capacity: u32,
    /// Below this when enrolment closes, the activity is cancelled.
    #[serde(default)]
    pub min_size: u32,
    /// The staff member in charge (takes the roll); a staff account of the school.
    #[serde(default)]
    pub in_charge_account_id: Option<Uuid>,
    pub provider: Provider,
    pub fee: Fee,
    pub allocation: Allocation,
    /// Rule ids confirmed after a `content_needs_review` answer (its `details.confirm_review`):
    /// the name and description pass the content rules (`AS_NO_NEW_LESSONS`…) like any send.
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub school_id: Uuid,
    pub name: String,
    pub category: Category,
    pub description: String,
    pub weekdays: Vec<u8>,
    pub start: String,
    pub end: String,
    pub grades: Vec<u8>,
    pub room: Option<String>,
    pub capacity: u32,
    pub min_size: u32,
    pub seats_taken: u32,
    pub seats_left: u32,
    pub in_charge_account_id: Option<Uuid>,
    pub provider: Provider,
    /// An institution's standing on the white list today: anything but `listed` is the school's
    /// cue to replace it or ask the bureau to renew it. `null` for other providers.
    pub provider_standing: Option<ProviderStanding>,
    pub fee: Fee,
    pub allocation: Allocation,
    pub cancelled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityList {
    pub items: Vec<Activity>,
}

/// A guardian with full access enrols their child.
#[derive(Debug, Deserialize, ToSchema)]
pub struct Enrol {
    pub student_id: Uuid,
    /// For lottery activities: this choice's rank among the child's choices (1 = first).
    #[serde(default)]
    pub rank: Option<u8>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Enrolment {
    pub id: Uuid,
    pub activity_id: Uuid,
    pub student_id: Uuid,
    pub status: EnrolmentStatus,
    pub rank: Option<u8>,
    /// For `waitlisted`: how many are ahead (0 = next to be promoted).
    pub waitlist_position: Option<u32>,
    /// Promoted from the wait list: until this instant, withdrawing refunds everything charged for
    /// the seat (after it, the sessions not held).
    pub decline_by: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The family's choice for the basic session (愿留尽留: voluntary, never refused).
#[derive(Debug, Deserialize, ToSchema)]
pub struct BasicChoice {
    pub opted_in: bool,
    /// Weekdays the child stays; absent for all five.
    #[serde(default)]
    pub weekdays: Option<Vec<u8>>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BasicStatus {
    pub opted_in: bool,
    pub weekdays: Vec<u8>,
    /// The Monday from which this choice applies.
    pub effective_from: NaiveDate,
}

/// What a child attends, when, what it costs and who may collect them.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChildAfterschool {
    pub student_id: Uuid,
    /// The school's published plan covering today, if any.
    pub plan_id: Option<Uuid>,
    pub term_start: Option<NaiveDate>,
    pub term_end: Option<NaiveDate>,
    /// The basic sessions for the child's grade.
    pub sessions: Vec<SessionInput>,
    /// The choice in force today (none: not opted in).
    pub basic: Option<BasicStatus>,
    /// A change the family made that applies from next week.
    pub basic_next: Option<BasicStatus>,
    pub activities: Vec<ChildActivity>,
    /// What the family owes for this term's activities, in fen, all accounts told (`fees`).
    pub fees_due_fen: i64,
    /// What the school owes back to the family (credits for sessions not held, not yet refunded).
    pub refund_due_fen: i64,
    /// The child's fee account per activity this term, every entry with its reason (`AS_FEES`).
    pub fees: Vec<FeeAccount>,
    /// Adults the school releases the child to.
    pub pickup: Vec<PickupAdult>,
    /// The family's extended-care application this term, if any (`AS_EXTENDED_CARE`).
    pub extended_care: Option<ExtendedCare>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ChildActivity {
    pub activity_id: Uuid,
    pub name: String,
    pub weekdays: Vec<u8>,
    pub start: String,
    pub end: String,
    pub room: Option<String>,
    pub status: EnrolmentStatus,
    pub fee: Fee,
    /// Promoted from the wait list and the offer still runs: withdrawing before then refunds
    /// everything charged for the seat.
    pub decline_by: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PickupAdult {
    pub name: String,
    pub relation: String,
    pub access_level: AccessLevel,
}

/// The district's after-school settings.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct DistrictSettings {
    /// Local off-work time; the basic session ends at least 20 minutes later (`AS_END_TIME`).
    #[schema(example = "17:30")]
    pub off_work_time: String,
}

/// One day's roll of an activity, taken by the person in charge (or a school admin).
#[derive(Debug, Deserialize, ToSchema)]
pub struct Roll {
    pub date: NaiveDate,
    pub entries: Vec<RollEntry>,
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
pub struct RollEntry {
    pub student_id: Uuid,
    pub status: RollStatus,
}

/// What the roll recorded: an `absent` child whose family reported leave is counted as `leave`;
/// the others' full guardians were alerted (urgent, through quiet hours).
#[derive(Debug, Serialize, ToSchema)]
pub struct RollSummary {
    pub date: NaiveDate,
    pub present: u32,
    pub absent: u32,
    pub leave: u32,
    /// Families alerted by this roll (an absence is alerted once).
    pub alerted: u32,
    /// Enrolled children the roll did not mark.
    pub not_marked: Vec<Uuid>,
}

/// A family reports an absence ahead (请假).
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct Leave {
    pub date: NaiveDate,
    #[serde(default)]
    pub reason: String,
}

/// A pickup code the guardian's app shows at the gate, valid for one child and one day.
#[derive(Debug, Serialize, ToSchema)]
pub struct PickupCode {
    pub student_id: Uuid,
    pub date: NaiveDate,
    #[schema(example = "482913")]
    pub code: String,
    /// For a delegate: the name the school will see.
    pub delegate_name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct PickupCodeRequest {
    /// Default: today at the school.
    #[serde(default)]
    pub date: Option<NaiveDate>,
}

/// A one-time delegate a full guardian names for one day (a neighbour, a relative).
#[derive(Debug, Deserialize, ToSchema)]
pub struct Delegate {
    pub date: NaiveDate,
    pub name: String,
    pub phone: String,
}

/// A full guardian's standing consent that the child walks home alone.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
pub struct WalkAlone {
    pub consent: bool,
}

/// Releases a child: to the adult whose pickup code this is, or alone with standing consent.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SignOutRequest {
    pub student_id: Uuid,
    /// Default: today at the school.
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// The code shown by the adult collecting the child.
    #[serde(default)]
    pub pickup_code: Option<String>,
    /// The child leaves alone (needs a guardian's standing consent).
    #[serde(default)]
    pub walk_alone: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SignOut {
    pub activity_id: Uuid,
    pub student_id: Uuid,
    pub date: NaiveDate,
    pub released_to: ReleasedTo,
    pub adult_name: String,
    /// `pickup_code` or `walk_alone_consent`.
    pub verified_by: String,
    pub signed_out_at: DateTime<Utc>,
}

/// The limits the parser enforces on these requests (`service.rs`, `rules.rs`), for the API
/// document. Rules between fields (an end after its start, `min_size` within `capacity`, a
/// provider's name or a fee's amount required by its kind) are beyond a field's schema: the
/// server answers them with `validation_failed`.
pub const LIMITS: &[FieldRule] = &[
    FieldRule::new("CreatePlan", "sessions", Rule::Items { min: 0, max: Some(MAX_SESSIONS), unique: false }),
    FieldRule::new("SessionInput", "weekday", WEEKDAY),
    FieldRule::new("SessionInput", "start", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SessionInput", "end", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("SessionInput", "grades", GRADE),
    FieldRule::new("CreateActivity", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("DrawRequest", "seed", Rule::Text { max: SEED_MAX_CHARS }),
    FieldRule::new("CreateActivity", "description", Rule::MaxChars(DESCRIPTION_MAX_CHARS)),
    FieldRule::new("CreateActivity", "weekdays", Rule::Items { min: 1, max: None, unique: false }),
    FieldRule::new("CreateActivity", "weekdays", WEEKDAY),
    FieldRule::new("CreateActivity", "start", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("CreateActivity", "end", Rule::Pattern(CLOCK_TIME)),
    FieldRule::new("CreateActivity", "grades", GRADE),
    FieldRule::new("CreateActivity", "room", Rule::MaxChars(ROOM_MAX_CHARS)),
    FieldRule::new(
        "CreateActivity",
        "capacity",
        Rule::Range { min: *CAPACITY.start() as i64, max: *CAPACITY.end() as i64 },
    ),
    // Never above `capacity`, so never above the largest capacity either.
    FieldRule::new("CreateActivity", "min_size", Rule::Range { min: 0, max: *CAPACITY.end() as i64 }),
    FieldRule::new("Provider", "name", Rule::MaxChars(NAME_MAX_CHARS)),
    FieldRule::new("Fee", "amount_fen", Rule::Range { min: *FEE_FEN.start(), max: *FEE_FEN.end() }),
    FieldRule::new("Enrol", "rank", Rule::Range { min: *RANKS.start() as i64, max: *RANKS.end() as i64 }),
    FieldRule::new("BasicChoice", "weekdays", WEEKDAY),
    FieldRule::new("DistrictSettings", "off_work_time", Rule::Pattern(OFF_WORK_TIME)),
    FieldRule::new("Roll", "entries", Rule::Items { min: 0, max: Some(MAX_ROLL_ENTRIES), unique: false }),
    FieldRule::new("Leave", "reason", Rule::MaxChars(REASON_MAX_CHARS)),
    FieldRule::new("Delegate", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new("Delegate", "phone", Rule::Pattern(PHONE)),
    FieldRule::new("ListProvider", "name", Rule::Text { max: NAME_MAX_CHARS }),
    FieldRule::new(
        "EnrolmentWindow",
        "decline_hours",
        Rule::Range { min: *DECLINE_HOURS.start() as i64, max: *DECLINE_HOURS.end() as i64 },
    ),
    FieldRule::new("LotteryRules", "weekly_limit", Rule::Range { min: 1, max: MAX_WEEKLY_SESSIONS as i64 }),
    FieldRule::new("ApplyExtendedCare", "reason", Rule::Text { max: REASON_MAX_CHARS }),
    FieldRule::new("ApplyExtendedCare", "weekdays", Rule::Items { min: 1, max: None, unique: false }),
    FieldRule::new("ApplyExtendedCare", "weekdays", WEEKDAY),
    FieldRule::new("DecideExtendedCare", "reason", Rule::MaxChars(REASON_MAX_CHARS)),
    FieldRule::new("SetFeeWaiver", "percent", Rule::Range { min: 0, max: 100 }),
    FieldRule::new("SetFeeWaiver", "reason", Rule::MaxChars(REASON_MAX_CHARS)),
    FieldRule::new("MarkFee", "amount_fen", Rule::Range { min: 1, max: *FEE_FEN.end() }),
    FieldRule::new("MarkFee", "note", Rule::MaxChars(REASON_MAX_CHARS)),
    FieldRule::new("ListProvider", "credit_code", Rule::Pattern(CREDIT_CODE)),
    FieldRule::new(
        "RateActivity",
        "rating",
        Rule::Range { min: *super::evaluation::RATINGS.start() as i64, max: *super::evaluation::RATINGS.end() as i64 },
    ),
    FieldRule::new("RateActivity", "comment", Rule::MaxChars(super::service::ratings::COMMENT_MAX_CHARS)),
];

/// A school weekday by number (each item, for a list of them).
const WEEKDAY: Rule = Rule::Range { min: *WEEKDAYS.start() as i64, max: *WEEKDAYS.end() as i64 };
/// A grade (each item of a list of grades).
const GRADE: Rule = Rule::Range { min: FIRST_GRADE as i64, max: LAST_GRADE as i64 };

/// A draw of the plan's lottery activities.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct DrawRequest {
    /// The seed (1–64 visible characters), e.g. drawn in front of the parents' committee; made
    /// by the server when omitted.
    #[serde(default)]
    pub seed: Option<String>,
}

/// What a draw allocated, with what anyone needs to redo it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DrawResult {
    pub id: Uuid,
    pub seed: String,
    /// The algorithm, in words (see `afterschool/lottery.rs`).
    pub algorithm: String,
    /// Applications drawn (each child's choice is one).
    pub applications: u32,
    pub enrolled: u32,
    pub waitlisted: u32,
    pub activities: Vec<DrawnActivity>,
    pub drawn_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DrawnActivity {
    pub activity_id: Uuid,
    /// Seats given by this draw.
    pub enrolled: u32,
    /// Applications put on the wait list by this draw, in lottery order.
    pub waitlisted: u32,
}

/// An outside institution the bureau puts on its district's white list (`AS_PROVIDERS`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct ListProvider {
    /// The institution's registered name.
    pub name: String,
    /// 统一社会信用代码: 18 characters, digits and capital letters.
    #[serde(default)]
    pub credit_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// New validity dates for a listed institution.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RenewProvider {
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
}

/// One entry of the white list.
#[derive(Debug, Serialize, ToSchema)]
pub struct WhiteListEntry {
    pub id: Uuid,
    pub district_id: Uuid,
    pub name: String,
    pub credit_code: Option<String>,
    pub valid_from: NaiveDate,
    pub valid_until: NaiveDate,
    /// Set when the bureau took it off the list (the entry stays for history).
    pub removed_at: Option<DateTime<Utc>>,
    /// Where it stands today, in the district's schools' dates.
    pub standing: ProviderStanding,
    /// Activities naming it (in every school of the district).
    pub activities: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WhiteList {
    pub items: Vec<WhiteListEntry>,
}

/// One line of a fee account.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeeEntry {
    pub kind: FeeEntryKind,
    /// In fen; a negative waiver lowers an earlier one.
    pub amount_fen: i64,
    /// The sessions a charge or credit counts.
    pub sessions: Option<i32>,
    /// Why, in words the family reads (zh-CN / en).
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A child's fee account for one activity (`AS_FEES`): what was charged, waived, credited at
/// withdrawal, paid and refunded, and what that leaves.
#[derive(Debug, Serialize, ToSchema)]
pub struct FeeAccount {
    pub activity_id: Uuid,
    pub activity_name: String,
    pub student_id: Uuid,
    /// The child's name (for the school's list; the family knows it).
    pub student_name: String,
    pub fee: Fee,
    pub charged_fen: i64,
    pub waived_fen: i64,
    pub credited_fen: i64,
    pub paid_fen: i64,
    pub refunded_fen: i64,
    /// What the family still owes.
    pub owed_fen: i64,
    /// What the school owes back.
    pub refund_due_fen: i64,
    pub entries: Vec<FeeEntry>,
}

/// Every child's account for an activity, and their sums (school admins).
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityFees {
    pub activity_id: Uuid,
    pub charged_fen: i64,
    pub waived_fen: i64,
    pub credited_fen: i64,
    pub paid_fen: i64,
    pub refunded_fen: i64,
    pub owed_fen: i64,
    pub refund_due_fen: i64,
    pub items: Vec<FeeAccount>,
}

/// The school's waiver (减免) for a child's after-school fees this plan.
#[derive(Debug, Deserialize, ToSchema)]
pub struct SetFeeWaiver {
    /// The share waived, 0 (none) to 100 (all).
    pub percent: u8,
    /// Why (kept with the waiver; shown to the family in their account). Required above 0.
    #[serde(default)]
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FeeWaiver {
    pub plan_id: Uuid,
    pub student_id: Uuid,
    pub percent: u8,
    pub reason: String,
    pub updated_at: DateTime<Utc>,
}

/// Money the school received from a family, or paid back to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MoneyMoved {
    Payment,
    Refund,
}

/// The school marks a payment or a refund on a child's account (no payment gateway).
#[derive(Debug, Deserialize, ToSchema)]
pub struct MarkFee {
    pub kind: MoneyMoved,
    /// In fen: a payment at most what is owed, a refund at most what is owed back.
    pub amount_fen: i64,
    /// E.g. the receipt number.
    #[serde(default)]
    pub note: String,
}

/// A family applies for extended care (延时托管, `AS_EXTENDED_CARE`) this term.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ApplyExtendedCare {
    /// Why the family needs it (e.g. both parents work late); the school reads it.
    pub reason: String,
    /// The weekdays wanted; all five when absent.
    #[serde(default)]
    pub weekdays: Option<Vec<u8>>,
}

/// The school's answer to an extended-care application.
#[derive(Debug, Deserialize, ToSchema)]
pub struct DecideExtendedCare {
    pub approve: bool,
    /// Required to decline; told to the family.
    #[serde(default)]
    pub reason: String,
}

/// An extended-care application and the school's answer.
#[derive(Debug, Serialize, ToSchema)]
pub struct ExtendedCare {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub student_id: Uuid,
    pub student_name: String,
    pub weekdays: Vec<u8>,
    pub reason: String,
    pub status: ExtendedCareStatus,
    pub decision_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ExtendedCareList {
    pub items: Vec<ExtendedCare>,
}

/// A guardian's rating of an activity their child attends (`AS_EVALUATION`); rating again
/// replaces it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RateActivity {
    /// 1 (poor) to 5 (excellent).
    pub rating: u8,
    /// Optional; the school alone reads it (never with the child's or the guardian's name). It
    /// passes the content rules like any message.
    #[serde(default)]
    pub comment: String,
    /// Rule ids confirmed after a `content_needs_review` answer (its `details.confirm_review`).
    #[serde(default)]
    pub confirm_review: Vec<String>,
}

/// The caller's rating of the activity for the child, as saved.
#[derive(Debug, Serialize, ToSchema)]
pub struct Rating {
    pub activity_id: Uuid,
    pub student_id: Uuid,
    pub rating: u8,
    /// Empty when none was written.
    pub comment: String,
    pub updated_at: DateTime<Utc>,
}

/// A comment of a family's rating, without who wrote it (school admins only).
#[derive(Debug, Serialize, ToSchema)]
pub struct RatingComment {
    pub rating: u8,
    pub comment: String,
    pub updated_at: DateTime<Utc>,
}

/// Families' ratings of one activity.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityRatings {
    pub activity_id: Uuid,
    pub name: String,
    /// How many children's families rated it.
    pub count: u32,
    /// The mean rating to one decimal; `null` when nobody rated.
    #[schema(example = 4.3)]
    pub average: Option<f64>,
    /// How many gave each rating: `[ones, twos, threes, fours, fives]`.
    pub distribution: [u32; 5],
    /// The comments written, latest first, for school admins; always empty for the person in
    /// charge.
    pub comments: Vec<RatingComment>,
}

/// Families' ratings of a plan's activities (`AS_EVALUATION`): every activity for the school's
/// admins; for other staff, the activities they are in charge of.
#[derive(Debug, Serialize, ToSchema)]
pub struct PlanRatings {
    pub plan_id: Uuid,
    pub items: Vec<ActivityRatings>,
}
