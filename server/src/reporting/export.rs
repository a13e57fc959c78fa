//! The dashboard's tables as CSV for Excel: UTF-8 with a byte-order mark (so Excel reads Chinese
//! rightly), Chinese headers, suppressed cells as "<10" and bounded shares as "<5 %" / ">95 %",
//! exactly as the page shows them. Pure: a dashboard in, bytes out.

use super::dto::{DistrictDashboard, Section};
use super::suppression::{Bound, Count, Percent};

fn count(c: &Count, k: u64) -> String {
    c.value.map_or_else(|| format!("<{k}"), |v| v.to_string())
}

fn percent(p: &Percent, k: u64) -> String {
    match (p.value, p.bound) {
        (Some(v), _) => format!("{v:.1}"),
        (None, Some(Bound::Below5)) => "<5 %".into(),
        (None, Some(Bound::Above95)) => ">95 %".into(),
        (None, None) => format!("<{k}"),
    }
}

/// A figure that may be absent (nothing to measure, or too few to show), one decimal.
fn optional(v: Option<f64>) -> String {
    v.map_or_else(String::new, |v| format!("{v:.1}"))
}

fn stage(s: crate::org::model::Stage) -> &'static str {
    match s {
        crate::org::model::Stage::Primary => "小学",
        crate::org::model::Stage::Junior => "初中",
    }
}

/// One section of the dashboard as CSV.
pub fn csv(dashboard: &DistrictDashboard, section: Section) -> Result<Vec<u8>, csv::Error> {
    let k = dashboard.k;
    let mut out = csv::Writer::from_writer(vec![0xEF, 0xBB, 0xBF]);
    match section {
        Section::Reach => {
            out.write_record(["学校", "家长账号数", "已激活", "激活率(%)"])?;
            for s in &dashboard.reach.schools {
                out.write_record([
                    s.school_name.clone(),
                    count(&s.guardians, k),
                    count(&s.activated, k),
                    percent(&s.activated_percent, k),
                ])?;
            }
            let r = &dashboard.reach;
            out.write_record([
                "全区".into(),
                count(&r.guardians, k),
                count(&r.activated, k),
                percent(&r.activated_percent, k),
            ])?;
        }
        Section::Homework => {
            out.write_record([
                "学校",
                "年级",
                "学段",
                "日上限(分钟)",
                "班级日",
                "日均书面作业(分钟)",
                "未超上限占比(%)",
                "一二年级布置书面作业的班级日",
                "家长反馈数",
                "家长反馈平均用时(分钟)",
                "对应预估平均用时(分钟)",
            ])?;
            for s in &dashboard.homework.schools {
                for g in &s.grades {
                    out.write_record([
                        s.school_name.clone(),
                        g.grade.to_string(),
                        stage(g.stage).into(),
                        g.cap_minutes.to_string(),
                        g.class_days.to_string(),
                        format!("{:.1}", g.average_daily_written_minutes),
                        optional(g.within_cap_percent),
                        g.class_days_with_written.map_or_else(String::new, |n| n.to_string()),
                        count(&g.reports, k),
                        optional(g.reported_average_minutes),
                        optional(g.estimated_average_minutes),
                    ])?;
                }
            }
        }
        Section::Afterschool => {
            out.write_record([
                "学校",
                "已发布方案",
                "未达标规则",
                "学生数",
                "参加基础托管",
                "参加率(%)",
                "五天全参加(%)",
                "参加社团/课程",
                "社团参加率(%)",
                "出勤率(%)",
                "负责活动的教师",
                "教师数",
                "满意度(1–5)",
            ])?;
            for s in &dashboard.afterschool.schools {
                out.write_record([
                    s.school_name.clone(),
                    if s.plan_published { "是".into() } else { "否".into() },
                    s.breaches.join("、"),
                    count(&s.students, k),
                    count(&s.in_basic, k),
                    percent(&s.basic_percent, k),
                    percent(&s.all_five_days_percent, k),
                    count(&s.in_electives, k),
                    percent(&s.electives_percent, k),
                    percent(&s.attendance_percent, k),
                    s.teachers_in_charge.to_string(),
                    s.teachers.to_string(),
                    optional(s.satisfaction),
                ])?;
            }
        }
        Section::Complaints => {
            out.write_record(["学校", "收到投诉", "已办结", "平均首次响应(小时)", "平均办结(天)", "当前逾期"])?;
            for s in &dashboard.complaints.schools {
                out.write_record([
                    s.school_name.clone(),
                    count(&s.received, k),
                    count(&s.closed, k),
                    optional(s.mean_hours_to_first_response),
                    optional(s.mean_days_to_closure),
                    s.overdue_now.to_string(),
                ])?;
            }
            let c = &dashboard.complaints;
            out.write_record([
                "全区".into(),
                count(&c.received, k),
                String::new(),
                String::new(),
                String::new(),
                c.overdue_now.to_string(),
            ])?;
        }
        Section::ParentSchool => {
            out.write_record([
                "学校",
                "家庭数",
                "参与家庭",
                "参与率(%)",
                "已开家长会",
                "开过家长会的班级",
                "班均家长会",
                "本学期指导任务",
                "结业率",
            ])?;
            for s in &dashboard.parent_school.schools {
                let graduation: Vec<String> =
                    s.graduation.iter().map(|g| format!("{} {}", stage(g.stage), percent(&g.graduated, k))).collect();
                out.write_record([
                    s.school_name.clone(),
                    count(&s.families, k),
                    count(&s.took_part, k),
                    percent(&s.participation, k),
                    s.meetings_held.to_string(),
                    format!("{}/{}", s.classes_with_meeting, s.classes),
                    optional(s.meetings_per_class),
                    if s.duty_met { "已完成".into() } else { "未完成".into() },
                    graduation.join("；"),
                ])?;
            }
            let p = &dashboard.parent_school;
            out.write_record([
                "全区".into(),
                count(&p.families, k),
                count(&p.took_part, k),
                percent(&p.participation, k),
                String::new(),
                String::new(),
                String::new(),
                format!("{} 所学校完成", p.schools_meeting_duty),
                String::new(),
            ])?;
        }
        Section::Mentoring => {
            out.write_record([
                "学校",
                "已开展",
                "参与年级",
                "应配导师学生",
                "已配导师",
                "覆盖率(%)",
                "家访完成率",
                "谈心完成率",
                "书面反馈完成率",
            ])?;
            for s in &dashboard.mentoring.schools {
                let task = |name: crate::mentoring::model::Task| {
                    s.tasks.iter().find(|t| t.task == name).map_or_else(String::new, |t| percent(&t.completed, k))
                };
                let grades: Vec<String> = s.covered_grades.iter().map(u8::to_string).collect();
                out.write_record([
                    s.school_name.clone(),
                    if s.set_up { "是".into() } else { "否".into() },
                    grades.join("、"),
                    count(&s.students_covered, k),
                    count(&s.with_mentor, k),
                    percent(&s.coverage, k),
                    task(crate::mentoring::model::Task::Visit),
                    task(crate::mentoring::model::Task::Talk),
                    task(crate::mentoring::model::Task::Feedback),
                ])?;
            }
        }
    }
    out.into_inner().map_err(|e| e.into_error().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_and_bounded_cells_read_as_the_page_shows_them() {
        assert_eq!(count(&Count { value: None, suppressed: true }, 10), "<10");
        assert_eq!(count(&Count { value: Some(25), suppressed: false }, 10), "25");
        let below = Percent { value: None, bound: Some(Bound::Below5), suppressed: false };
        assert_eq!(percent(&below, 10), "<5 %");
        let shown = Percent { value: Some(52.5), bound: None, suppressed: false };
        assert_eq!(percent(&shown, 10), "52.5");
    }
}
