//! The demo district behind `server --demo`: a bureau, three schools (one 五四制) and a village
//! teaching point, classes in grades 1–9, teachers, about 1,000 students with guardians — including
//! a family with children in two schools. Built through the same services as real data (bootstrap, school creation, roster
//! import), so the demo exercises the real code paths. Deterministic, and seeded only once.

mod parent_school;
mod reporting;
mod summer;

use std::fmt::Write as _;

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use crate::access::Caller;
use crate::auth::credentials::Login;
use crate::auth::provisioning;
use crate::auth::repo::find_account_by_login;
use crate::org::model::{StageSystem, district, school, staff};
use crate::roster::dto::RosterKind;
use crate::roster::service::{ImportOptions, ImportTarget, NoProgress, import};
use crate::state::AppState;

pub const DISTRICT: &str = "示范区";
pub const PASSWORD: &str = "jiaxiao-demo";
pub const BUREAU_LOGIN: &str = "bureau@demo.jiaxiao.cn";

/// One way to sign in to the demo.
pub struct DemoLogin {
    pub role: &'static str,
    pub login: String,
    pub who: String,
}

struct DemoSchool {
    name: &'static str,
    stage_system: StageSystem,
    grades: std::ops::RangeInclusive<i16>,
    classes_per_grade: i16,
    students_per_class: usize,
    admin_login: &'static str,
}

const SCHOOLS: [DemoSchool; 4] = [
    DemoSchool {
        name: "示范区实验小学",
        stage_system: StageSystem::SixThree,
        grades: 1..=6,
        classes_per_grade: 2,
        students_per_class: STUDENTS_PER_CLASS,
        admin_login: "admin@shiyan.demo.jiaxiao.cn",
    },
    DemoSchool {
        name: "示范区第一初级中学",
        stage_system: StageSystem::SixThree,
        grades: 7..=9,
        classes_per_grade: 3,
        students_per_class: STUDENTS_PER_CLASS,
        admin_login: "admin@yizhong.demo.jiaxiao.cn",
    },
    DemoSchool {
        name: "示范区五四制学校",
        stage_system: StageSystem::FiveFour,
        grades: 1..=9,
        classes_per_grade: 1,
        students_per_class: STUDENTS_PER_CLASS,
        admin_login: "admin@wusi.demo.jiaxiao.cn",
    },
    // A village teaching point of eight pupils: on the bureau's dashboard its family counts are
    // below k and suppressed (with a complementary cell elsewhere).
    DemoSchool {
        name: "示范区青山村教学点",
        stage_system: StageSystem::SixThree,
        grades: 1..=2,
        classes_per_grade: 1,
        students_per_class: 4,
        admin_login: "admin@qingshan.demo.jiaxiao.cn",
    },
];

const SURNAMES: [&str; 20] = [
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭", "何", "林", "高",
    "罗",
];
const GIVEN: [&str; 24] = [
    "子涵", "浩然", "欣怡", "梓萱", "宇轩", "雨桐", "俊杰", "诗琪", "一诺", "明轩", "若曦", "思远", "嘉怡", "天佑",
    "可馨", "博文", "语嫣", "晨阳", "佳琪", "皓宇", "雅琳", "泽宇", "梦瑶", "晓东",
];
const ADULT_GIVEN: [&str; 12] = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "勇", "军", "杰"];
/// Fathers' and mothers' given names, so that a 父亲 is never called 芳.
const MALE_GIVEN: [&str; 8] = ["伟", "强", "磊", "洋", "勇", "军", "杰", "涛"];
const FEMALE_GIVEN: [&str; 8] = ["芳", "娜", "敏", "静", "艳", "丽", "霞", "婷"];
/// The printed family: 李强 (the printed parent login) with a child in the printed teacher's
/// class (实验小学 3年级1班, the fifth class of the first school) and one in 第一初级中学 7年级1班.
const FAMILY_FATHER: &str = "李强";
const FAMILY_CHILDREN: [&str; 2] = ["李子涵", "李浩然"];
/// Index of 3年级1班 among the first school's classes: the printed teacher's class.
const TEACHER_CLASS: usize = 4;
const STUDENTS_PER_CLASS: usize = 33;

fn name(seed: usize, given: &[&str]) -> String {
    format!("{}{}", SURNAMES[seed % SURNAMES.len()], given[(seed / SURNAMES.len() + seed * 7) % given.len()])
}

/// The demo district as a start finds it.
pub struct Demo {
    /// Seeded by this start (`false`: found from an earlier one, with whatever was done since).
    pub seeded_now: bool,
    /// How to sign in as each role.
    pub logins: Vec<DemoLogin>,
}

/// Seeds the demo district unless it exists; says how to sign in either way.
pub async fn seed(state: &AppState) -> anyhow::Result<Demo> {
    let (db, now) = (&state.db, state.clock.now());
    let already = district::Entity::find().filter(district::Column::Name.eq(DISTRICT)).one(db).await?.is_some();
    if !already {
        seed_fresh(db, now).await?;
        seed_homework(state).await?;
        seed_afterschool(state).await?;
        seed_mentoring(state).await?;
        parent_school::seed(state).await?;
        summer::seed(state).await?;
        reporting::seed(state).await?;
    }
    Ok(Demo { seeded_now: !already, logins: logins(db).await? })
}

/// Mentors in every school, through the mentoring service: every grade takes part, the system's
/// proposal is published as it stands (`from_proposal`; the cap raised where the school has few
/// teachers). The second school runs two-way choice: a few families rank its last teacher first.
async fn seed_mentoring(state: &AppState) -> anyhow::Result<()> {
    use crate::mentoring::dto::ChooseMentors;
    use crate::mentoring::dto::{MentoringSettingsInput, PublishAssignments};
    use crate::mentoring::model::MatchMode;
    use crate::mentoring::service as mentoring;
    use crate::org::model::{AccessLevel, class, guardian, guardianship, student};

    let db = &state.db;
    for (n, school) in school::Entity::find().order_by_asc(school::Column::Name).all(db).await?.into_iter().enumerate()
    {
        let Some(admin) = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school.id))
            .filter(staff::Column::IsSchoolAdmin.eq(true))
            .one(db)
            .await?
        else {
            continue;
        };
        let caller = Caller { account_id: admin.account_id };
        let classes = class::Entity::find().filter(class::Column::SchoolId.eq(school.id)).all(db).await?;
        let mut grades: Vec<u8> = classes.iter().filter_map(|c| u8::try_from(c.grade).ok()).collect();
        grades.sort_unstable();
        grades.dedup();
        if grades.is_empty() {
            continue;
        }
        let students = student::Entity::find().filter(student::Column::SchoolId.eq(school.id)).count(db).await?;
        let teachers = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school.id))
            .filter(staff::Column::IsTeacher.eq(true))
            .count(db)
            .await?;
        let needed = u8::try_from(students.div_ceil(teachers.max(1))).unwrap_or(u8::MAX);
        let setting = MentoringSettingsInput {
            grades,
            period: Default::default(),
            cap: Some(needed.clamp(12, crate::mentoring::rules::MAX_CAP)),
            mode: if n == 1 { MatchMode::TwoWay } else { MatchMode::Assign },
            visit_buffer_minutes: None,
            max_visits_per_day: None,
        };
        mentoring::set_settings(state, &caller, school.id, setting).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if n == 1 {
            let last_teacher = staff::Entity::find()
                .filter(staff::Column::SchoolId.eq(school.id))
                .filter(staff::Column::IsTeacher.eq(true))
                .order_by_desc(staff::Column::StaffNo)
                .one(db)
                .await?;
            let pupils: Vec<uuid::Uuid> = student::Entity::find()
                .filter(student::Column::SchoolId.eq(school.id))
                .order_by_asc(student::Column::StudentNo)
                .all(db)
                .await?
                .into_iter()
                .take(3)
                .map(|s| s.id)
                .collect();
            for link in guardianship::Entity::find()
                .filter(guardianship::Column::StudentId.is_in(pupils))
                .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
                .all(db)
                .await?
            {
                let (Some(teacher), Some(parent)) =
                    (&last_teacher, guardian::Entity::find_by_id(link.guardian_id).one(db).await?)
                else {
                    continue;
                };
                let choice = ChooseMentors { mentor_ids: vec![teacher.account_id] };
                mentoring::choices::choose(state, &Caller { account_id: parent.account_id }, link.student_id, choice)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo choice: {e}"))?;
            }
        }
        mentoring::publish(state, &caller, school.id, PublishAssignments { assignments: vec![], from_proposal: true })
            .await
            .map_err(|e| anyhow::anyhow!("demo mentors: {e}"))?;
    }
    Ok(())
}

/// Every school's after-school plan for the term through the after-school service (so the demo
/// obeys the same rules): a published plan with activities from the white list, children enrolled
/// (first come with a wait list, and a lottery drawn with a published seed), last week's roll calls
/// and sign-outs, and in the first
/// school a second draft that breaks `AS_END_TIME` (it ends at 17:30), to show what publishing refuses.
async fn seed_afterschool(state: &AppState) -> anyhow::Result<()> {
    use crate::afterschool::dto::{
        CreateActivity, CreatePlan, DrawRequest, Enrol, Fee, ListProvider, Provider, Roll, RollEntry, SessionInput,
        SignOutRequest, WalkAlone,
    };
    use crate::afterschool::model::{
        Allocation, Category, EnrolmentStatus, FeeKind, ProviderKind, RollStatus, SessionKind,
    };
    use crate::afterschool::service as afterschool;
    use crate::afterschool::service::white_list;
    use crate::calendar::dto::{HolidayInput, MakeUpDayInput, TermInput};
    use crate::org::model::{AccessLevel, guardian, guardianship, student};
    use chrono::Datelike;

    let db = &state.db;
    let today = state.clock.now().with_timezone(&crate::org::model::default_zone()).date_naive();
    let week = |end: &str| -> Vec<SessionInput> {
        (1..=5u8)
            .map(|weekday| SessionInput {
                weekday,
                kind: SessionKind::Basic,
                start: "15:40".into(),
                end: end.into(),
                grades: vec![],
            })
            .collect()
    };
    let term = |sessions| CreatePlan {
        term_start: today - chrono::Duration::days(60),
        term_end: today + chrono::Duration::days(60),
        sessions,
    };
    // name, category, provider, provider's name, fee, amount (fen), allocation, weekdays
    type Row = (&'static str, Category, ProviderKind, &'static str, FeeKind, i64, Allocation, &'static [u8]);
    let activities: [Row; 7] = [
        (
            "篮球社",
            Category::Sports,
            ProviderKind::SchoolTeacher,
            "体育组",
            FeeKind::Free,
            0,
            Allocation::FirstCome,
            // Every school day, so that a pickup code and a sign-out can be tried on any of them.
            &[1, 2, 3, 4, 5],
        ),
        (
            "合唱团",
            Category::Arts,
            ProviderKind::SchoolTeacher,
            "音乐组",
            FeeKind::Free,
            0,
            Allocation::FirstCome,
            &[2, 4],
        ),
        (
            "机器人编程",
            Category::Science,
            ProviderKind::Institution,
            "青少年科技中心",
            FeeKind::Collected,
            60_000,
            Allocation::Lottery,
            &[5],
        ),
        (
            "围棋",
            Category::InterestGroup,
            ProviderKind::Institution,
            "弈趣围棋俱乐部",
            FeeKind::ServiceFee,
            40_000,
            Allocation::FirstCome,
            &[3],
        ),
        (
            "书法",
            Category::Arts,
            ProviderKind::RetiredTeacher,
            "退休教师 陈老师",
            FeeKind::Subsidised,
            20_000,
            Allocation::FirstCome,
            &[1],
        ),
        (
            "经典诵读",
            Category::Reading,
            ProviderKind::Volunteer,
            "家长志愿者",
            FeeKind::Free,
            0,
            Allocation::FirstCome,
            &[2],
        ),
        (
            "种植园",
            Category::Labour,
            ProviderKind::SchoolTeacher,
            "科学组",
            FeeKind::Free,
            0,
            Allocation::FirstCome,
            &[4],
        ),
    ];
    // The bureau's white list (AS_PROVIDERS) holds the outside institutions the schools engage.
    let bureau_login = Login::parse(BUREAU_LOGIN).ok_or_else(|| anyhow::anyhow!("bureau login"))?;
    let bureau = find_account_by_login(db, &bureau_login).await?.ok_or_else(|| anyhow::anyhow!("bureau account"))?;
    let officer = crate::access::bureau_officer(db, &Caller { account_id: bureau.id })
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut white_list_ids = std::collections::HashMap::new();
    for (_, _, kind, name, ..) in &activities {
        if *kind == ProviderKind::Institution && !white_list_ids.contains_key(name) {
            let listing = ListProvider {
                name: (*name).into(),
                credit_code: None,
                valid_from: today - chrono::Duration::days(90),
                valid_until: today + chrono::Duration::days(275),
            };
            let entry = white_list::add(state, &officer, listing).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            white_list_ids.insert(*name, entry.id);
        }
    }
    let teacher_login = Login::parse("teacher@demo.jiaxiao.cn").ok_or_else(|| anyhow::anyhow!("teacher login"))?;
    let teacher = find_account_by_login(db, &teacher_login).await?.map(|a| a.id);
    let schools = school::Entity::find().all(db).await?;
    for (n, school) in schools.iter().enumerate() {
        // The printed teacher runs their school's basketball club: they take its roll and sign
        // children out, as the person in charge.
        let teacher_here = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school.id))
            .filter(staff::Column::AccountId.is_in(teacher))
            .one(db)
            .await?
            .map(|s| s.account_id);
        let Some(admin) = staff::Entity::find()
            .filter(staff::Column::SchoolId.eq(school.id))
            .filter(staff::Column::IsSchoolAdmin.eq(true))
            .one(db)
            .await?
        else {
            continue;
        };
        let caller = Caller { account_id: admin.account_id };
        // The school calendar: the term, with a day off the Monday after next (运动会补休) made up
        // on the Saturday of that week, which follows Monday's timetable.
        let next_monday = today + chrono::Duration::days(7 - i64::from(today.weekday().num_days_from_monday()));
        let day_off = next_monday + chrono::Duration::days(7);
        let calendar = TermInput {
            name: "本学期".into(),
            starts_on: today - chrono::Duration::days(60),
            ends_on: today + chrono::Duration::days(60),
            holidays: vec![HolidayInput { name: "运动会补休".into(), from: day_off, to: day_off }],
            make_up_days: vec![MakeUpDayInput {
                date: day_off + chrono::Duration::days(5),
                follows_weekday: 1,
                name: "运动会调休".into(),
            }],
        };
        crate::calendar::service::define(state, &caller, school.id, calendar)
            .await
            .map_err(|e| anyhow::anyhow!("demo term: {e}"))?;
        let proof = crate::access::school_admin(db, &caller, school.id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let plan =
            afterschool::create_plan(state, &proof, term(week("17:50"))).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        let mut first_activity = None;
        let mut lottery_activity = None;
        for (name, category, provider, provider_name, fee, amount, allocation, weekdays) in activities {
            let created = afterschool::add_activity(
                state,
                &caller,
                plan.id,
                CreateActivity {
                    name: name.into(),
                    category,
                    description: format!("{name}：每周活动，在校内完成。"),
                    weekdays: weekdays.to_vec(),
                    start: "16:00".into(),
                    end: "17:30".into(),
                    grades: vec![],
                    room: Some("活动室".into()),
                    capacity: 3,
                    min_size: 1,
                    in_charge_account_id: if first_activity.is_none() { teacher_here } else { None },
                    provider: Provider {
                        kind: provider,
                        name: provider_name.into(),
                        white_list_id: white_list_ids.get(provider_name).copied(),
                    },
                    fee: Fee {
                        kind: fee,
                        amount_fen: (fee != FeeKind::Free).then_some(amount),
                        per: Default::default(),
                    },
                    allocation,
                    confirm_review: Vec::new(),
                },
            )
            .await
            .map_err(|e| anyhow::anyhow!("demo activity {name}: {e}"))?;
            first_activity.get_or_insert(created.id);
            if allocation == Allocation::Lottery {
                lottery_activity = Some(created.id);
            }
        }
        afterschool::publish(state, &caller, plan.id).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        if n == 0 {
            afterschool::create_plan(state, &proof, term(week("17:30"))).await.map_err(|e| anyhow::anyhow!("{e}"))?;
        }
        // Five children try the basketball club of 3 seats: 3 enrolled, 2 on the wait list; the
        // printed family's child first, then by student number.
        let Some(basketball) = first_activity else { continue };
        let mut pupils = student::Entity::find()
            .filter(student::Column::SchoolId.eq(school.id))
            .order_by_asc(student::Column::StudentNo)
            .all(db)
            .await?;
        pupils.sort_by_key(|p| !FAMILY_CHILDREN.contains(&p.name.as_str()));
        // The next five apply for the lottery activity, which the school draws with a published seed
        // (3 seats: 3 enrolled, 2 wait-listed).
        let mut families = Vec::new();
        for pupil in pupils {
            if families.len() == 10 {
                break;
            }
            let link = guardianship::Entity::find()
                .filter(guardianship::Column::StudentId.eq(pupil.id))
                .filter(guardianship::Column::AccessLevel.eq(AccessLevel::Full))
                .one(db)
                .await?;
            let Some(link) = link else { continue };
            let Some(parent) = guardian::Entity::find_by_id(link.guardian_id).one(db).await? else { continue };
            families.push((pupil.id, Caller { account_id: parent.account_id }));
        }
        let mut seated = Vec::new();
        for (child, parent) in families.iter().take(5) {
            let (enrolment, _) =
                afterschool::enrol(state, parent, basketball, Enrol { student_id: *child, rank: None })
                    .await
                    .map_err(|e| anyhow::anyhow!("demo enrolment: {e}"))?;
            if enrolment.status == EnrolmentStatus::Enrolled {
                seated.push((*child, *parent));
            }
        }
        if let Some(drawn) = lottery_activity {
            for (child, parent) in families.iter().skip(5) {
                afterschool::enrol(state, parent, drawn, Enrol { student_id: *child, rank: Some(1) })
                    .await
                    .map_err(|e| anyhow::anyhow!("demo application: {e}"))?;
            }
            let seed = DrawRequest { seed: Some(format!("{}-demo", school.name)) };
            afterschool::draw(state, &caller, plan.id, seed).await.map_err(|e| anyhow::anyhow!("demo draw: {e}"))?;
        }
        // Last week in the club: the roll every school day (one child on leave on Monday), and each
        // child signed out (the demo families consented to their walking home).
        for (child, parent) in &seated {
            afterschool::set_walk_alone(state, parent, *child, WalkAlone { consent: true })
                .await
                .map_err(|e| anyhow::anyhow!("demo consent: {e}"))?;
        }
        for back in (1..=7).rev() {
            let date = today - chrono::Duration::days(back);
            if crate::calendar::rules::plain_weekday(date).is_none() {
                continue;
            }
            let entries = seated
                .iter()
                .enumerate()
                .map(|(i, (child, _))| RollEntry {
                    student_id: *child,
                    status: if i == 0 && date.weekday() == chrono::Weekday::Mon {
                        RollStatus::Leave
                    } else {
                        RollStatus::Present
                    },
                })
                .collect::<Vec<_>>();
            afterschool::take_roll(state, &caller, basketball, Roll { date, entries: entries.clone() })
                .await
                .map_err(|e| anyhow::anyhow!("demo roll: {e}"))?;
            for entry in entries.iter().filter(|e| e.status == RollStatus::Present) {
                let release = SignOutRequest {
                    student_id: entry.student_id,
                    date: Some(date),
                    pickup_code: None,
                    walk_alone: true,
                };
                afterschool::sign_out(state, &caller, basketball, release)
                    .await
                    .map_err(|e| anyhow::anyhow!("demo sign-out: {e}"))?;
            }
        }
    }
    Ok(())
}

/// Today's homework in every class, posted by its teachers through the homework service (so the
/// demo obeys the same rules): Chinese and maths written work within the cap, English orally, an
/// optional extension; grades 1–2 read and do their written work at school.
async fn seed_homework(state: &AppState) -> anyhow::Result<()> {
    use crate::homework::dto::PostHomework;
    use crate::homework::model::{HomeworkKind as Kind, Location, Tier};
    use crate::org::model::{TeachingRole, class, teaching_assignment};

    let db = &state.db;
    // The demo schools are created in the default zone.
    let today = state.clock.now().with_timezone(&crate::org::model::default_zone()).date_naive();
    let post = |subject: &str, title: &str, content: &str, kind: Kind, tier: Tier, minutes: i32, location: Location| {
        PostHomework {
            subject: subject.into(),
            title: title.into(),
            content: content.into(),
            kind,
            tier,
            estimated_minutes: minutes,
            location,
            date: today,
            confirm_review: Vec::new(),
        }
    };
    for class in class::Entity::find().all(db).await? {
        let assignments = teaching_assignment::Entity::find()
            .filter(teaching_assignment::Column::ClassId.eq(class.id))
            .all(db)
            .await?;
        let mut teacher_of = std::collections::HashMap::new();
        for a in &assignments {
            let key = if a.role == TeachingRole::ClassTeacher { "head".to_owned() } else { a.subject.clone() };
            if let Some(member) = staff::Entity::find_by_id(a.staff_id).one(db).await? {
                teacher_of.insert(key, member.account_id);
            }
        }
        let mut posts = Vec::new();
        if class.grade <= 2 {
            posts.push((
                "head",
                post(
                    "语文",
                    "亲子共读",
                    "读一本绘本，和家人说说故事讲了什么。",
                    Kind::Reading,
                    Tier::Basic,
                    15,
                    Location::Home,
                ),
            ));
            posts.push((
                "head",
                post(
                    "语文",
                    "生字练习",
                    "课后服务时间抄写本课生字，每个两遍。",
                    Kind::Written,
                    Tier::Basic,
                    15,
                    Location::School,
                ),
            ));
        } else {
            posts.push((
                "head",
                post(
                    "语文",
                    "课文练习",
                    "完成《补充习题》第12页，明天课上讲评。",
                    Kind::Written,
                    Tier::Basic,
                    20,
                    Location::Home,
                ),
            ));
            posts.push((
                "math",
                post(
                    "数学",
                    "口算练习",
                    "口算练习一页，注意计算准确。",
                    Kind::Written,
                    Tier::Basic,
                    20,
                    Location::Home,
                ),
            ));
            posts.push((
                "english",
                post("英语", "朗读", "跟读 Unit 3 课文三遍。", Kind::Oral, Tier::Basic, 10, Location::Home),
            ));
            posts.push((
                "head",
                post(
                    "语文",
                    "选做：好词摘抄",
                    "摘抄课外阅读中的好词好句，选做。",
                    Kind::Written,
                    Tier::Optional,
                    15,
                    Location::Home,
                ),
            ));
        }
        for (role, req) in posts {
            let Some(&account_id) = teacher_of.get(role) else { continue };
            let teacher = Caller { account_id };
            crate::homework::service::post(state, &teacher, class.id, req)
                .await
                .map_err(|e| anyhow::anyhow!("demo homework for class {}: {e:?}", class.id))?;
        }
    }
    Ok(())
}

async fn seed_fresh(db: &DatabaseConnection, now: chrono::DateTime<chrono::Utc>) -> anyhow::Result<()> {
    let outcome = crate::org::service::bootstrap(db, now, DISTRICT, BUREAU_LOGIN, PASSWORD).await?;
    let options = ImportOptions { now, activation_code_ttl_days: 30 };
    let mut phone_seq = 0u32;
    let mut next_phone = || {
        phone_seq += 1;
        format!("139{:08}", phone_seq)
    };
    // A family with children in the first two schools: one parent account sees both.
    let shared_parent_phone = "13900000000".to_owned();
    let mut student_seq = 0usize;
    for (s, spec) in SCHOOLS.iter().enumerate() {
        let school_id = Uuid::new_v4();
        let admin_login = Login::parse(spec.admin_login).ok_or_else(|| anyhow::anyhow!("bad demo login"))?;
        crate::org::service::insert_school_with_admin(
            db,
            outcome.district.id,
            school_id,
            spec.name,
            spec.stage_system,
            &format!("{}管理员", spec.name),
            &admin_login,
            crate::org::service::DEFAULT_TIME_ZONE,
            now,
            30,
        )
        .await?;

        let mut staff_csv = String::from("staff_no,name,phone,email,roles,classes\n");
        let mut students_csv = String::from(
            "student_no,name,grade,class,guardian1_name,guardian1_phone,guardian1_email,guardian1_relation,guardian2_name,guardian2_phone,guardian2_email,guardian2_relation\n",
        );
        let classes: Vec<(i16, i16)> =
            spec.grades.clone().flat_map(|g| (1..=spec.classes_per_grade).map(move |c| (g, c))).collect();
        let _ =
            writeln!(staff_csv, "A{s}00,{},,{},school_admin,", format_args!("{}管理员", spec.name), spec.admin_login);
        for (i, (grade, class)) in classes.iter().enumerate() {
            // Class teacher (also teaches Chinese), a maths and an English teacher per class pair.
            let head_no = format!("T{s}{i:02}");
            let teacher_email =
                if s == 0 && i == TEACHER_CLASS { "teacher@demo.jiaxiao.cn".to_owned() } else { String::new() };
            let _ = writeln!(
                staff_csv,
                "{head_no},{},{},{teacher_email},teacher,{grade}-{class}:head;{grade}-{class}:chinese",
                name(s * 100 + i, &ADULT_GIVEN),
                next_phone()
            );
            if i % 2 == 0 {
                let pair: Vec<String> = classes[i..(i + 2).min(classes.len())]
                    .iter()
                    .flat_map(|(g, c)| [format!("{g}-{c}:math")])
                    .collect();
                let _ = writeln!(
                    staff_csv,
                    "M{s}{i:02},{},{},,teacher,{}",
                    name(s * 100 + i + 50, &ADULT_GIVEN),
                    next_phone(),
                    pair.join(";")
                );
                let pair: Vec<String> =
                    classes[i..(i + 2).min(classes.len())].iter().map(|(g, c)| format!("{g}-{c}:english")).collect();
                let _ = writeln!(
                    staff_csv,
                    "E{s}{i:02},{},{},,teacher,{}",
                    name(s * 100 + i + 75, &ADULT_GIVEN),
                    next_phone(),
                    pair.join(";")
                );
            }
            for k in 0..spec.students_per_class {
                student_seq += 1;
                let family = k == 0 && ((s == 0 && i == TEACHER_CLASS) || (s == 1 && i == 0));
                let (child, father) = if family {
                    (FAMILY_CHILDREN[s].to_owned(), FAMILY_FATHER.to_owned())
                } else {
                    let child = name(student_seq, &GIVEN);
                    let surname = &child[..child.char_indices().nth(1).map_or(child.len(), |(i, _)| i)];
                    let father = format!("{surname}{}", MALE_GIVEN[student_seq % MALE_GIVEN.len()]);
                    (child, father)
                };
                let mother = name(student_seq + 7, &FEMALE_GIVEN);
                let father_phone = if family { shared_parent_phone.clone() } else { next_phone() };
                let father_email = if family { "parent@demo.jiaxiao.cn" } else { "" };
                let _ = writeln!(
                    students_csv,
                    "S{s}{student_seq:05},{child},{grade},{class},{father},{father_phone},{father_email},父亲,{mother},{},,母亲",
                    next_phone()
                );
            }
        }
        let target = ImportTarget::operator(school_id);
        import(db, target, RosterKind::Staff, staff_csv.as_bytes(), &options, &NoProgress)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        import(db, target, RosterKind::Students, students_csv.as_bytes(), &options, &NoProgress)
            .await
            .map_err(|e| anyhow::anyhow!("{e}"))?;
    }
    for login in [
        SCHOOLS[0].admin_login,
        SCHOOLS[1].admin_login,
        SCHOOLS[2].admin_login,
        SCHOOLS[3].admin_login,
        "teacher@demo.jiaxiao.cn",
        "parent@demo.jiaxiao.cn",
    ] {
        let login = Login::parse(login).ok_or_else(|| anyhow::anyhow!("bad demo login {login}"))?;
        let account = find_account_by_login(db, &login)
            .await?
            .ok_or_else(|| anyhow::anyhow!("demo account {} missing", login.as_str()))?;
        provisioning::set_password(db, account, PASSWORD, now).await?;
    }
    Ok(())
}

async fn logins(db: &DatabaseConnection) -> anyhow::Result<Vec<DemoLogin>> {
    let mut out =
        vec![DemoLogin { role: "bureau_officer", login: BUREAU_LOGIN.into(), who: format!("{DISTRICT}教育局") }];
    for spec in &SCHOOLS {
        out.push(DemoLogin { role: "school_admin", login: spec.admin_login.into(), who: spec.name.into() });
    }
    out.push(DemoLogin {
        role: "teacher",
        login: "teacher@demo.jiaxiao.cn".into(),
        who: format!("示范区实验小学 3年级1班 班主任、语文老师，{} 的老师", FAMILY_CHILDREN[0]),
    });
    out.push(DemoLogin {
        role: "guardian",
        login: "parent@demo.jiaxiao.cn".into(),
        who: format!(
            "{FAMILY_FATHER}：{}（实验小学 3年级1班）、{}（第一初级中学 7年级1班）",
            FAMILY_CHILDREN[0], FAMILY_CHILDREN[1]
        ),
    });
    // Sanity: the seeded schools exist (a half-seeded database says so instead of printing lies).
    let schools = school::Entity::find().count(db).await?;
    let staff_count = staff::Entity::find().count(db).await?;
    anyhow::ensure!(
        schools >= SCHOOLS.len() as u64 && staff_count > 0,
        "the demo district exists but its schools are missing"
    );
    Ok(out)
}
