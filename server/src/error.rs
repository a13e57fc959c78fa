//! The one error envelope of the API: `{"code", "message", "details", "request_id"}`.
//!
//! `code` is stable (clients switch on it); `message` follows `Accept-Language` (zh-CN by default,
//! English on request); `details` carries structured context (which field, which row, which
//! rule). Internal causes are logged with their whole chain and never serialised: a 5xx is a bug.

use std::borrow::Cow;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::i18n::{Lang, current_lang};
use crate::telemetry::current_request_id;

/// A message in both languages the product speaks.
#[derive(Debug, Clone)]
pub struct Message {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Message {
    pub fn new(zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self { zh: zh.into(), en: en.into() }
    }

    pub fn in_lang(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh,
            Lang::En => &self.en,
        }
    }
}

/// What every failed request answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// Stable machine code, e.g. `invalid_credentials`, `not_found`, `roster_invalid`.
    #[schema(example = "validation_failed")]
    pub code: &'static str,
    /// Human-readable explanation in the language asked for by `Accept-Language`.
    pub message: String,
    /// Structured context; its shape depends on `code`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<Value>,
    /// The request's id, as in the `X-Request-Id` response header: quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "0b9c6f1e-5d2a-4c3b-9e8f-7a6b5c4d3e2f")]
    pub request_id: Option<String>,
}

/// Declares the code table: one row per code (variant, wire code, status, zh-CN, en).
macro_rules! codes {
    ($($(#[doc = $doc:literal])* $variant:ident => $code:literal, $status:ident, $zh:literal, $en:literal;)+) => {
        /// Every code the API answers with, in one table: its status and its usual message.
        ///
        /// Clients switch on the code, so a code never changes meaning once shipped; a new kind of
        /// failure gets a row here, never an ad-hoc string where it is raised. A call site may give
        /// a more precise message (`ApiError::with_message`) but not another status.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Code {
            $($(#[doc = $doc])* $variant,)+
        }

        impl Code {
            /// Every code, in table order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The stable wire code, snake_case.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)+ }
            }

            pub fn status(self) -> StatusCode {
                match self { $(Code::$variant => StatusCode::$status,)+ }
            }

            /// The message shown when the call site gives no more precise one.
            pub fn message(self) -> Message {
                match self { $(Code::$variant => Message::new($zh, $en),)+ }
            }
        }
    };
}

codes! {
    // The request itself.
    Unauthenticated => "unauthenticated", UNAUTHORIZED, "请先登录。", "Sign in first.";
    Forbidden => "forbidden", FORBIDDEN, "您的角色无权执行此操作。", "Your role does not allow this action.";
    /// Also the answer for records that exist but are not the caller's.
    NotFound => "not_found", NOT_FOUND, "未找到。", "Not found.";
    NoSuchRoute => "no_such_route", NOT_FOUND, "没有这个接口。", "No such endpoint.";
    /// The path exists but not with this method; the `Allow` header and `details.allow` list those it takes.
    MethodNotAllowed => "method_not_allowed", METHOD_NOT_ALLOWED, "该接口不支持此请求方法。", "This endpoint does not take this method.";
    /// A field is missing or malformed; `details.field` names it.
    ValidationFailed => "validation_failed", UNPROCESSABLE_ENTITY, "请求字段缺失或类型错误。", "A field is missing or has the wrong type.";
    InvalidJson => "invalid_json", BAD_REQUEST, "请求体不是有效的 JSON。", "The body is not valid JSON.";
    InvalidQuery => "invalid_query", BAD_REQUEST, "查询参数无效。", "A query parameter is invalid.";
    InvalidBody => "invalid_body", BAD_REQUEST, "请求体读取失败。", "The body could not be read.";
    UnsupportedMediaType => "unsupported_media_type", UNSUPPORTED_MEDIA_TYPE, "请求体须为 JSON（Content-Type: application/json）。", "The body must be JSON (Content-Type: application/json).";
    PayloadTooLarge => "payload_too_large", PAYLOAD_TOO_LARGE, "请求体过大。", "The request body is too large.";
    /// `details.retry_after_secs` (and the `Retry-After` header) say when to try again.
    RateLimited => "rate_limited", TOO_MANY_REQUESTS, "尝试次数过多，请稍后再试。", "Too many attempts; try again later.";
    IdempotencyInProgress => "idempotency_in_progress", CONFLICT, "相同 Idempotency-Key 的请求仍在处理中，请稍后重试。", "A request with this Idempotency-Key is still being processed; retry shortly.";
    IdempotencyKeyReused => "idempotency_key_reused", UNPROCESSABLE_ENTITY, "该 Idempotency-Key 已用于另一个请求。", "This Idempotency-Key was used for a different request.";
    /// The server is at capacity for this kind of work (password checks under a flood); `details.retry_after_secs` (and `Retry-After`) say when to try again.
    Busy => "busy", SERVICE_UNAVAILABLE, "服务器繁忙，请稍后再试。", "The server is busy; try again shortly.";
    /// A service the request needs (the database, the shared rate limits in Redis) is unreachable for now; `details.retry_after_secs` (and `Retry-After`) say when to try again. Nothing was done.
    Unavailable => "unavailable", SERVICE_UNAVAILABLE, "服务暂时不可用，请稍后再试。", "The service is temporarily unavailable; try again shortly.";
    /// A bug or an outage, never the client's fault; the cause is logged, never shown.
    Internal => "internal", INTERNAL_SERVER_ERROR, "服务器内部错误，我们已记录。", "Internal error; it has been logged.";

    // Signing in.
    InvalidCredentials => "invalid_credentials", UNAUTHORIZED, "账号或密码错误。", "The login or password is wrong.";
    InvalidActivationCode => "invalid_activation_code", UNAUTHORIZED, "激活码无效或已过期，请联系学校重新获取。", "The activation code is invalid or expired; ask the school for a new one.";
    RefreshTokenInvalid => "refresh_token_invalid", UNAUTHORIZED, "登录已失效，请重新登录。", "The session has ended; sign in again.";
    RefreshTokenReused => "refresh_token_reused", UNAUTHORIZED, "检测到刷新令牌被重复使用，为安全起见该设备已退出登录，请重新登录。", "A refresh token was used twice; for safety this session was signed out. Sign in again.";
    /// `details.reason`: `length` (8–128 characters), `blank` or `guessable` (common, a pattern, or the login itself).
    WeakPassword => "weak_password", UNPROCESSABLE_ENTITY, "密码不符合要求。", "The password does not meet the policy.";

    // Schools and rosters.
    SchoolExists => "school_exists", CONFLICT, "本区已有同名学校。", "A school with this name already exists in the district.";
    /// `details.problems` lists every row and column to fix; nothing was imported.
    RosterInvalid => "roster_invalid", UNPROCESSABLE_ENTITY, "名单有问题，未导入任何数据。请修改后重新上传。", "The roster has problems; nothing was imported. Fix them and upload again.";

    // Notices.
    NoticeRecalled => "notice_recalled", CONFLICT, "该通知已被撤回。", "This notice was recalled.";
    DeadlinePassed => "deadline_passed", CONFLICT, "已过回复截止时间。", "The deadline for answers has passed.";
    WrongResponseMode => "wrong_response_mode", CONFLICT, "该通知不需要这种回复。", "This notice does not take this kind of answer.";
    RecallWindowPassed => "recall_window_passed", CONFLICT, "通知发出已超过 24 小时，不能撤回。", "A notice can be recalled only within 24 hours of sending.";
    NotSentYet => "not_sent_yet", CONFLICT, "该通知尚未发出。", "This notice has not been sent yet.";
    /// The audience has no one who receives notices (say, only a guardian whose link to the child is pickup-only); nothing was sent and no send budget spent.
    NoRecipients => "no_recipients", UNPROCESSABLE_ENTITY, "该通知没有任何接收人（所选对象中没有可接收通知的家长或教职工），未发送。", "This notice would reach no one (the audience has no guardian or staff member who receives notices); nothing was sent.";
    RemindTooSoon => "remind_too_soon", TOO_MANY_REQUESTS, "每条通知 6 小时内只能提醒一次。", "A notice can be reminded at most once every 6 hours.";

    // Conversations.
    /// `details.until` says when the teacher's pause ends.
    /// The other participant's relationship to the child ended (a guardian removed from the child, a teacher who left the class): the conversation takes no new messages; its history stays with the school.
    ConversationClosed => "conversation_closed", CONFLICT, "对方已不再是该学生的监护人或任课老师，此对话已关闭。", "The other side is no longer the child's guardian or teacher: this conversation is closed.";
    ConversationPaused => "conversation_paused", FORBIDDEN, "老师暂停了此对话，请稍后再发送。", "The teacher has paused this conversation; write again later.";
    UnsupportedAttachmentType => "unsupported_attachment_type", UNSUPPORTED_MEDIA_TYPE, "附件须为图片（PNG、JPEG、GIF、WebP）或 PDF。", "Attachments must be images (PNG, JPEG, GIF, WebP) or PDF.";

    // Homework.
    HomeworkWithdrawn => "homework_withdrawn", CONFLICT, "该作业已撤回。", "This homework was withdrawn.";

    // After-school service.
    /// `details.breaches` lists every broken rule, weekday and fix; `details.rules` their ids.
    As5Plus2 => "as_5_plus_2", UNPROCESSABLE_ENTITY, "每个工作日都须有不少于 2 小时的基础托管（AS_5_PLUS_2）。", "Every weekday needs a basic session of at least two hours (AS_5_PLUS_2).";
    AsEndTime => "as_end_time", UNPROCESSABLE_ENTITY, "基础托管须在当地下班时间 20 分钟后结束（AS_END_TIME）。", "The basic session must end at least 20 minutes after local off-work time (AS_END_TIME).";
    AsEveningStudy => "as_evening_study", UNPROCESSABLE_ENTITY, "晚自习仅限初中年级，且不晚于 20:30 结束（AS_EVENING_STUDY）。", "Evening study is for junior grades only and ends by 20:30 (AS_EVENING_STUDY).";
    PlanNotPublished => "plan_not_published", CONFLICT, "该课后服务方案尚未发布。", "This after-school plan is not published yet.";
    ActivityCancelled => "activity_cancelled", CONFLICT, "该活动已取消。", "This activity was cancelled.";
    /// The child's grade is not among the activity's grades.
    NotEligible => "not_eligible", UNPROCESSABLE_ENTITY, "孩子所在年级不能参加该活动。", "The child's grade cannot take this activity.";
    /// `details.activity_id` names the activity the child already has at that time.
    TimeSlotTaken => "time_slot_taken", CONFLICT, "孩子在该时段已有其他活动。", "The child already has another activity at that time.";
    /// The adult is not on the child's pickup list today (no matching code, no walk-alone consent).
    PickupNotAuthorised => "pickup_not_authorised", FORBIDDEN, "此人不在孩子今天的接送名单上，不能放行。", "This person is not on the child's pickup list today; do not release the child.";
    AlreadySignedOut => "already_signed_out", CONFLICT, "孩子今天已签退。", "The child was already signed out today.";
    /// The plan has no extended session for the child's grade on a day asked for (`details.weekdays`).
    AsExtendedCare => "as_extended_care", UNPROCESSABLE_ENTITY, "学校在所选日期没有面向孩子年级的延时托管（AS_EXTENDED_CARE）。", "The school offers no extended care for the child's grade on a day asked for (AS_EXTENDED_CARE).";
    /// `details.limit` is the school's weekly limit of elective sessions, `details.sessions` what this seat would make.
    WeeklyLimit => "weekly_limit", UNPROCESSABLE_ENTITY, "超出学校规定的每周课后活动次数上限。", "This would exceed the school's weekly limit of after-school sessions.";
    /// `details.opens_at` says when (null: the first round is closing; try again in a minute).
    EnrolmentNotOpen => "enrolment_not_open", CONFLICT, "现在不在报名时间内。", "Enrolment is not open now.";
    /// The rosters are locked (after the add/drop round); withdrawal stays possible.
    EnrolmentClosed => "enrolment_closed", CONFLICT, "报名已截止，名单已锁定。", "Enrolment has closed and the rosters are locked.";
    /// `details.standing` says why (`not_listed`, `not_yet_valid`, `expired`, `removed`).
    AsSummer => "as_summer", UNPROCESSABLE_ENTITY, "暑期托管点须每天开放 2 小时以上（7:00–19:00 之间），按周（周一开始）开放且尚未开始（AS_SUMMER）。", "A summer care site opens at least two hours a day within 07:00–19:00, by weeks starting on a Monday still ahead (AS_SUMMER).";
    AsProviders => "as_providers", UNPROCESSABLE_ENTITY, "校外机构须列入本区白名单且在有效期内（AS_PROVIDERS）。", "An outside institution must be on the district's white list and within its validity (AS_PROVIDERS).";
    /// `details.id` is the entry already listing that name; renew it instead.
    ProviderAlreadyListed => "provider_already_listed", CONFLICT, "该机构已在白名单中，请续期原条目。", "This institution is already on the white list; renew its entry instead.";
    ProviderRemoved => "provider_removed", CONFLICT, "该机构已移出白名单；如需恢复，请重新列入。", "This institution was removed from the white list; list it again to restore it.";

    // The school calendar.
    /// `details.problem` names what is wrong (`ends_before_start`, `too_long`, `holiday_backwards`, `holiday_outside_term`, `holidays_overlap`, `make_up_outside_term`, `make_up_on_weekday`, `make_up_on_holiday`, `make_up_twice`, `bad_weekday`), `details.date` or `details.from`/`details.to` where.
    TermInvalid => "term_invalid", UNPROCESSABLE_ENTITY, "学期日历有误，未保存。", "The term's calendar is not valid; nothing was saved.";
    /// `details.term_id` is the school's term that shares days with it.
    TermOverlaps => "term_overlaps", CONFLICT, "该学期与学校已有的学期日期重叠。", "This term shares days with another term of the school.";

    // Mentoring.
    /// The school has not saved its mentoring setting yet (`PUT /schools/{id}/mentoring/settings`).
    MentoringNotSet => "mentoring_not_set", CONFLICT, "学校尚未设置全员导师制（参与年级、每位导师人数上限等）。", "The school has not set up mentoring yet (grades taking part, the cap per mentor…).";
    /// `details.students_without_mentor` lists the covered students still without a mentor; nothing was published.
    MtCoverage => "mt_coverage", UNPROCESSABLE_ENTITY, "参与年级的每位学生都须有导师，才能发布（MT_COVERAGE）。", "Every student of the covered grades needs a mentor before publication (MT_COVERAGE).";
    /// The school does not run two-way choice (双向选择) for the child's grade: it assigns mentors.
    MentoringNotTwoWay => "mentoring_not_two_way", CONFLICT, "学校未对孩子所在年级开放双向选择导师。", "The school does not let families choose mentors for the child's grade.";
    /// Another of the family's chosen mentors has already accepted the child.
    MentorChoiceTaken => "mentor_choice_taken", CONFLICT, "该家庭选择的另一位导师已接受这名学生。", "Another mentor the family chose has already accepted this student.";
    /// `details.mentor_id` would have `details.mentees`, more than `details.cap`; nothing was published.
    MentorCap => "mentor_cap", UNPROCESSABLE_ENTITY, "该导师的学生人数超过学校设定的上限。", "This mentor would have more mentees than the school's cap.";

    /// `details.teacher` (`mentor` or `co_visitor`) has another visit within the school's buffer (`details.conflict` `double_booked`, `details.visit_id`) or the day's most home visits (`daily_limit`, `details.limit`).
    VisitConflict => "visit_conflict", CONFLICT, "该时段与老师已约定的家访冲突（含间隔时间或每日上限）。", "This time clashes with the teacher's booked visits (the buffer between visits or the day's limit).";
    /// The windows wait for the other side's answer (`details.awaiting`).
    VisitNotYourTurn => "visit_not_your_turn", CONFLICT, "正在等待对方答复这些时间。", "These times are waiting for the other side's answer.";
    /// The student already has a proposed or booked visit (`details.visit_id`): answer, change or cancel it first.
    VisitOpen => "visit_open", CONFLICT, "该学生已有待确认或已约定的家访。", "The student already has a proposed or booked visit.";
    /// `details.status` says where the visit stands (booked at another time: `details.start`).
    VisitClosed => "visit_closed", CONFLICT, "该家访当前状态不允许此操作。", "The visit's status does not allow this.";

    // The parent school.
    /// The course does not suit the child's grade, or is not in the catalogue of the child's school.
    PsNotEligible => "ps_not_eligible", UNPROCESSABLE_ENTITY, "该课程不适用于孩子所在的学校或年级。", "This course is not for the child's school or grade.";
    /// The course is not taken that way (`details.format`: sessions and check-in are for offline courses, completion for online, confirmation for practice).
    PsWrongFormat => "ps_wrong_format", CONFLICT, "该课程不是这种学习方式。", "This course is not taken this way.";
    /// Check-in is not open: `details.opens_at` (not yet) or `details.closed_at` (over).
    PsCheckInClosed => "ps_check_in_closed", CONFLICT, "现在不在签到时间内（开始前 30 分钟至结束）。", "Check-in is not open now (from 30 minutes before the start until the end).";
    /// The code is not the one the organiser shows now (it changes every minute).
    PsWrongCode => "ps_wrong_code", UNPROCESSABLE_ENTITY, "签到码不正确或已过期，请以现场显示的为准。", "The code is wrong or expired: use the one shown at the session now.";
    PsAlreadyCheckedIn => "ps_already_checked_in", CONFLICT, "您已签到。", "You have already checked in.";
    /// The session has ended: no more registrations.
    PsSessionOver => "ps_session_over", CONFLICT, "该场次已结束。", "This session is over.";
    /// Not completed yet: `details.remaining_secs` (the time floor), `details.expected` (one answer per question) or `details.wrong_questions` (0-based; try again).
    PsIncomplete => "ps_incomplete", UNPROCESSABLE_ENTITY, "尚未达到完成条件（学习时长或测验）。", "Not completed yet (the time or the quiz).";
    /// The course was never opened by this guardian (`POST …/start` first).
    PsNotStarted => "ps_not_started", CONFLICT, "请先打开课程开始学习。", "Open the course first.";
    /// The family does not meet the rule (`details.credits_required`, `details.credits_earned`, `details.missing_courses`; `details.rule` null: the school has none for the stage): issue it by decision with a `reason`.
    PsNotGraduated => "ps_not_graduated", UNPROCESSABLE_ENTITY, "尚未达到本校家长学校结业要求；如由学校决定颁发，请写明理由。", "The family does not meet the school's graduation rule; to issue it by decision, give a reason.";
    /// The child already has a standing certificate for the stage (`details.code`): re-issue or revoke it.
    PsCertificateExists => "ps_certificate_exists", CONFLICT, "该孩子本学段已有有效的结业证书。", "There is already a standing certificate for this stage.";
    /// Revoked, or re-issued as a newer version (`details.superseded`).
    PsCertificateRevoked => "ps_certificate_revoked", CONFLICT, "该证书已撤销或已重新颁发。", "This certificate was revoked or re-issued.";
    /// Only a family that completed the course rates it.
    PsNotCompleted => "ps_not_completed", CONFLICT, "完成课程后才能评价。", "Complete the course before rating it.";
    /// `details.entry_id` is the entry, already reversed.
    PsAlreadyReversed => "ps_already_reversed", CONFLICT, "该记录已被撤销。", "This entry was already reversed.";
    PsAlreadyEarned => "ps_already_earned", CONFLICT, "孩子的家庭已获得该课程的学分，请不要重复发放。", "The family has already earned this course's credits for the child.";

    // Complaints.
    /// The complaint's status does not allow this step (`details.status`): the school answers only what the bureau forwarded, and a closed complaint is final.
    ComplaintState => "complaint_state", CONFLICT, "该投诉当前状态不允许此操作。", "The complaint's status does not allow this.";

    // Policy rules (../shared/DOMAIN.md): the rule id in snake case; the message explains the case.
    ExamNoRanking => "exam_no_ranking", UNPROCESSABLE_ENTITY, "不得在群发消息中公布考试成绩或排名（EXAM_NO_RANKING）。", "Exam scores or rankings may not be published to a group (EXAM_NO_RANKING).";
    HwParentBurden => "hw_parent_burden", UNPROCESSABLE_ENTITY, "不得给家长布置作业（HW_PARENT_BURDEN）。", "Homework may not be assigned to parents (HW_PARENT_BURDEN).";
    HwSelfGrading => "hw_self_grading", UNPROCESSABLE_ENTITY, "不得要求家长检查、批改作业（HW_SELF_GRADING）。", "Parents may not be asked to check or grade homework (HW_SELF_GRADING).";
    HwNoWrittenG12 => "hw_no_written_g12", UNPROCESSABLE_ENTITY, "小学一、二年级不布置家庭书面作业（HW_NO_WRITTEN_G12）。", "Grades 1–2 get no written homework at home (HW_NO_WRITTEN_G12).";
    HwDailyCap => "hw_daily_cap", UNPROCESSABLE_ENTITY, "超出本班当日书面作业总量上限（HW_DAILY_CAP）。", "The class's daily written homework cap is exceeded (HW_DAILY_CAP).";
    AsNoNewLessons => "as_no_new_lessons", UNPROCESSABLE_ENTITY, "课后服务不得集体上课、讲授新课（AS_NO_NEW_LESSONS）。", "After-school time is not for collective lessons or new content (AS_NO_NEW_LESSONS).";
    /// The guard is not sure: `details.violations` (tier `review`) show where. Nothing was sent. Reword it, or send the same request again (a new `Idempotency-Key`) with `confirm_review` listing `details.confirm_review`, and it goes out, counted for the bureau as sent after review.
    ContentNeedsReview => "content_needs_review", UNPROCESSABLE_ENTITY, "内容可能违反规定，已暂缓发送：请修改，或确认内容并未要求家长检查、批改作业或公布排名后再次发送。", "This may break a rule, so it was held: reword it, or confirm that it does not ask parents to check or grade work or publish rankings, and send it again.";
}

#[derive(Debug)]
pub struct ApiError {
    pub code: Code,
    pub message: Message,
    pub details: Option<Value>,
    /// The internal cause, logged and never shown.
    pub cause: Option<anyhow::Error>,
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}): {}", self.code.as_str(), self.code.status(), self.message.en)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause:#}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ApiError {}

impl From<Code> for ApiError {
    fn from(code: Code) -> Self {
        ApiError::new(code)
    }
}

impl ApiError {
    /// The error for `code`, with the table's message.
    pub fn new(code: Code) -> Self {
        Self { code, message: code.message(), details: None, cause: None }
    }

    /// A message more precise than the table's (which figures, which field).
    pub fn with_message(mut self, message: Message) -> Self {
        self.message = message;
        self
    }

    pub fn with_details(mut self, details: Value) -> Self {
        self.details = Some(details);
        self
    }

    pub fn status(&self) -> StatusCode {
        self.code.status()
    }

    pub fn unauthenticated() -> Self {
        Self::new(Code::Unauthenticated)
    }

    pub fn forbidden() -> Self {
        Self::new(Code::Forbidden)
    }

    /// Also the answer for records that exist but are not the caller's: never reveal that another
    /// family's (or school's) record exists.
    pub fn not_found() -> Self {
        Self::new(Code::NotFound)
    }

    /// A field of the request is missing or malformed.
    pub fn validation(field: &str, zh: impl Into<Cow<'static, str>>, en: impl Into<Cow<'static, str>>) -> Self {
        Self::new(Code::ValidationFailed)
            .with_message(Message::new(zh, en))
            .with_details(serde_json::json!({ "field": field }))
    }

    /// The one answer for a `cursor` that this server did not hand out (or that was tampered with).
    pub fn invalid_cursor() -> Self {
        Self::validation("cursor", "cursor 无效。", "cursor is invalid.")
    }

    /// At capacity for now: come back after `retry_after_secs`.
    pub fn busy(retry_after_secs: u64) -> Self {
        Self::new(Code::Busy).with_details(serde_json::json!({ "retry_after_secs": retry_after_secs }))
    }

    pub fn rate_limited(retry_after_secs: u64) -> Self {
        Self::new(Code::RateLimited).with_details(serde_json::json!({ "retry_after_secs": retry_after_secs }))
    }

    pub fn internal(cause: impl Into<anyhow::Error>) -> Self {
        let mut error = Self::new(Code::Internal);
        error.cause = Some(cause.into());
        error
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status()
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status();
        if self.code == Code::Internal {
            tracing::error!(code = self.code.as_str(), "request failed: {self}");
        } else if status.is_server_error() {
            tracing::warn!(code = self.code.as_str(), "request refused at capacity");
        }
        let body = ErrorBody {
            code: self.code.as_str(),
            message: self.message.in_lang(current_lang()).to_owned(),
            details: self.details.clone(),
            request_id: current_request_id().map(|id| id.to_string()),
        };
        let mut response = HttpResponse::build(status);
        if matches!(status, StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE)
            && let Some(secs) = self.details.as_ref().and_then(|d| d["retry_after_secs"].as_u64())
        {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response.json(body)
    }
}

/// Database failures are bugs or outages, never the client's fault. An outage (the database
/// restarting, the network to it cut) answers `503 unavailable` with `Retry-After`: the request's
/// transaction did not commit, so the client may simply retry. Anything else is a bug: 500.
impl From<sea_orm::DbErr> for ApiError {
    fn from(error: sea_orm::DbErr) -> Self {
        if database_unreachable(&error) {
            tracing::warn!("database unavailable: {error}");
            return ApiError::new(Code::Unavailable).with_details(serde_json::json!({ "retry_after_secs": 5 }));
        }
        ApiError::internal(error)
    }
}

/// Whether `error` says the database cannot be reached now, rather than that a statement is wrong.
pub fn database_unreachable(error: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    use sea_orm::{DbErr, RuntimeErr};
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => match e.as_ref() {
            Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
            // PostgreSQL's classes 08 (connection exception) and 57P (operator intervention: the
            // server shutting down or starting up).
            Sqlx::Database(db) => db.code().is_some_and(|c| c.starts_with("08") || c.starts_with("57P")),
            _ => false,
        },
        _ => false,
    }
}

impl From<sea_orm::TransactionError<ApiError>> for ApiError {
    fn from(error: sea_orm::TransactionError<ApiError>) -> Self {
        match error {
            sea_orm::TransactionError::Connection(db) => db.into(),
            sea_orm::TransactionError::Transaction(api) => api,
        }
    }
}

pub type ApiResult<T> = Result<T, ApiError>;

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn every_code_is_unique_snake_case_with_a_message_in_both_languages() {
        let mut seen = HashSet::new();
        for code in Code::ALL {
            let wire = code.as_str();
            assert!(seen.insert(wire), "{wire} is in the table twice");
            assert!(wire.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'), "{wire}");
            let message = code.message();
            assert!(!message.zh.is_empty() && !message.en.is_empty(), "{wire} needs both messages");
        }
    }

    #[test]
    fn only_internal_busy_and_unavailable_are_server_errors() {
        for code in Code::ALL {
            let expected = matches!(code, Code::Internal | Code::Busy | Code::Unavailable);
            assert_eq!(code.status().is_server_error(), expected, "{}", code.as_str());
        }
    }
}
