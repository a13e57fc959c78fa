//! Receipts, assembled from facts: who has read, confirmed or replied; per class (family notices)
//! the lists of who has and has not; unread staff (bureau notices). Pure: the service loads the
//! read states (the inbox's), the children each recipient receives it through, and the names.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use super::dto::{ClassReceipts, OptionCount, Receipts, RecipientRef};
use super::model::{RecipientKind, ResponseMode, notice};
use crate::inbox::items::{ItemChild, ReadState};
use crate::org::model::class;

/// What receipts are assembled from.
pub struct ReceiptFacts<'a> {
    pub notice: &'a notice::Model,
    /// One per recipient account.
    pub states: &'a [ReadState],
    /// Family notices: every (recipient, child, class) it concerns.
    pub children: &'a [ItemChild],
    pub classes: &'a HashMap<Uuid, class::Model>,
    pub student_names: &'a HashMap<Uuid, String>,
    /// Guardians' names by account.
    pub guardian_names: &'a HashMap<Uuid, String>,
    /// Staff notices: `(account, name)` of the unread recipients' staff rows.
    pub staff_names: &'a [(Uuid, String)],
}

/// The staff accounts that have not read the notice yet (whose names receipts list).
pub fn unread_accounts(states: &[ReadState]) -> Vec<Uuid> {
    states.iter().filter(|s| s.read_at.is_none()).map(|s| s.account_id).collect()
}

/// Keeps the name lists an answer can carry: those of `class_id` alone when one is asked for
/// (`false` when the notice did not reach that class), else those of the only class. A notice to
/// several classes answers their counts, and each class's names on request: a school-wide
/// notice's receipts stay a few kilobytes instead of every family's name at once.
pub fn narrow(receipts: &mut Receipts, class_id: Option<Uuid>) -> bool {
    match class_id {
        Some(wanted) => {
            receipts.classes.retain(|c| c.class_id == wanted);
            !receipts.classes.is_empty()
        }
        None if receipts.classes.len() > 1 => {
            for class in &mut receipts.classes {
                for list in [&mut class.read_by, &mut class.unread, &mut class.responded_by, &mut class.not_responded] {
                    list.clear();
                }
            }
            receipts.names_included = false;
            true
        }
        None => true,
    }
}

/// The notice's receipts.
pub fn assemble(facts: ReceiptFacts<'_>) -> Receipts {
    let notice = facts.notice;
    let states = facts.states;
    let expects_response = notice.response_mode != ResponseMode::Read;
    let mut replies: BTreeMap<String, u64> = notice.options().into_iter().map(|o| (o, 0)).collect();
    for option in states.iter().filter_map(|s| s.response_option.clone()) {
        *replies.entry(option).or_default() += 1;
    }
    let total = states.len() as u64;
    let read = states.iter().filter(|s| s.read_at.is_some()).count() as u64;
    let responded = states.iter().filter(|s| s.responded_at.is_some()).count() as u64;
    let mut receipts = Receipts {
        notice_id: notice.id,
        response_mode: notice.response_mode,
        recipient_count: total,
        read,
        unread: total - read,
        responded: if expects_response { responded } else { 0 },
        not_responded: if expects_response { total - responded } else { 0 },
        replies: replies.into_iter().map(|(option, count)| OptionCount { option, count }).collect(),
        classes: Vec::new(),
        staff_unread: Vec::new(),
        names_included: true,
    };
    match notice.recipient_kind {
        RecipientKind::Staff => {
            let mut names: Vec<RecipientRef> = facts
                .staff_names
                .iter()
                .map(|(account_id, name)| RecipientRef {
                    account_id: *account_id,
                    name: name.clone(),
                    children: Vec::new(),
                })
                .collect();
            names.sort_by(|a, b| a.name.cmp(&b.name));
            names.dedup_by_key(|r| r.account_id);
            receipts.staff_unread = names;
        }
        RecipientKind::Family => receipts.classes = class_receipts(&facts, expects_response),
    }
    receipts
}

/// Per class, by grade and number: a guardian counts once in each class they have a child in,
/// named with their children in that class.
fn class_receipts(facts: &ReceiptFacts<'_>, expects_response: bool) -> Vec<ClassReceipts> {
    let by_account: HashMap<Uuid, &ReadState> = facts.states.iter().map(|s| (s.account_id, s)).collect();
    // class → account → children's names
    let mut per_class: BTreeMap<(i16, i16, Uuid), BTreeMap<Uuid, Vec<String>>> = BTreeMap::new();
    for child in facts.children {
        let Some(class) = facts.classes.get(&child.class_id) else { continue };
        per_class
            .entry((class.grade, class.number, class.id))
            .or_default()
            .entry(child.account_id)
            .or_default()
            .push(facts.student_names.get(&child.student_id).cloned().unwrap_or_default());
    }
    let reference = |account: Uuid, children: &Vec<String>| RecipientRef {
        account_id: account,
        name: facts.guardian_names.get(&account).cloned().unwrap_or_default(),
        children: children.clone(),
    };
    per_class
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
                let Some(state) = by_account.get(account) else { continue };
                match (state.read_at.is_some(), state.responded_at.is_some()) {
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
        .collect()
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, Duration, Utc};

    use super::*;
    use crate::notices::model::SenderRole;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    fn at(hours: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000, 0).expect("instant") + Duration::hours(hours)
    }

    fn notice(mode: ResponseMode, kind: RecipientKind, options: &[&str]) -> notice::Model {
        notice::Model {
            id: id(1),
            district_id: id(2),
            school_id: Some(id(3)),
            sender_account_id: id(4),
            sender_name: "王老师".into(),
            sender_role: SenderRole::Teacher,
            title: "春游".into(),
            body: "周五".into(),
            response_mode: mode,
            options: serde_json::to_string(options).expect("json"),
            audience: "{}".into(),
            recipient_kind: kind,
            school_wide: false,
            urgent: false,
            deadline: None,
            send_at: at(0),
            sent_at: Some(at(0)),
            recipient_count: 0,
            recalled_at: None,
            last_reminded_at: None,
            deadline_reminded_at: None,
            created_at: at(0),
        }
    }

    fn state(account: u128, read: bool, responded: bool, option: Option<&str>) -> ReadState {
        ReadState {
            account_id: id(account),
            read_at: read.then(|| at(1)),
            responded_at: responded.then(|| at(2)),
            response_option: option.map(String::from),
            response_text: None,
        }
    }

    fn child(account: u128, student: u128, class: u128) -> ItemChild {
        ItemChild { account_id: id(account), student_id: id(student), class_id: id(class) }
    }

    fn class(n: u128, grade: i16, number: i16) -> (Uuid, class::Model) {
        (id(n), class::Model { id: id(n), school_id: id(3), grade, number, created_at: at(0) })
    }

    fn names(refs: &[RecipientRef]) -> Vec<(&str, Vec<&str>)> {
        refs.iter().map(|r| (r.name.as_str(), r.children.iter().map(String::as_str).collect())).collect()
    }

    #[test]
    fn reply_receipts_count_read_replied_and_each_option_per_class() {
        let notice = notice(ResponseMode::Reply, RecipientKind::Family, &["参加", "不参加"]);
        // 10: read and replied; 11: read, not replied; 12: unread. 10 has children in both classes.
        let states = [state(10, true, true, Some("参加")), state(11, true, false, None), state(12, false, false, None)];
        let children = [child(10, 100, 50), child(10, 101, 51), child(11, 102, 50), child(12, 103, 51)];
        let classes = HashMap::from([class(50, 3, 2), class(51, 3, 1)]);
        let student_names = HashMap::from([
            (id(100), "小明".into()),
            (id(101), "小红".into()),
            (id(102), "小刚".into()),
            (id(103), "小丽".into()),
        ]);
        let guardian_names = HashMap::from([(id(10), "明妈".into()), (id(11), "刚爸".into()), (id(12), "丽妈".into())]);
        let receipts = assemble(ReceiptFacts {
            notice: &notice,
            states: &states,
            children: &children,
            classes: &classes,
            student_names: &student_names,
            guardian_names: &guardian_names,
            staff_names: &[],
        });
        assert_eq!((receipts.recipient_count, receipts.read, receipts.unread), (3, 2, 1));
        assert_eq!((receipts.responded, receipts.not_responded), (1, 2));
        let replies: Vec<_> = receipts.replies.iter().map(|r| (r.option.as_str(), r.count)).collect();
        assert_eq!(replies, [("不参加", 0), ("参加", 1)], "every option listed, by option");
        // Classes by grade then number: 3-1 first. A guardian of children in two classes counts in each.
        let first = &receipts.classes[0];
        assert_eq!((first.grade, first.number, first.recipients, first.read, first.responded), (3, 1, 2, 1, 1));
        assert_eq!(names(&first.responded_by), [("明妈", vec!["小红"])]);
        assert_eq!(names(&first.unread), [("丽妈", vec!["小丽"])]);
        let second = &receipts.classes[1];
        assert_eq!((second.number, second.recipients, second.read, second.responded), (2, 2, 2, 1));
        assert_eq!(names(&second.not_responded), [("刚爸", vec!["小刚"])]);
        assert!(second.unread.is_empty());

        // Two classes: the summary keeps the counts and leaves the names to a request per class.
        let mut summary = assemble(ReceiptFacts {
            states: &states,
            ..facts(&notice, &children, &classes, &student_names, &guardian_names)
        });
        assert!(narrow(&mut summary, None));
        assert!(!summary.names_included);
        assert!(summary.classes.iter().all(|c| c.read_by.is_empty() && c.unread.is_empty() && c.recipients == 2));
        let mut one = assemble(ReceiptFacts {
            states: &states,
            ..facts(&notice, &children, &classes, &student_names, &guardian_names)
        });
        assert!(narrow(&mut one, Some(id(51))));
        assert_eq!((one.classes.len(), one.names_included), (1, true));
        assert_eq!(names(&one.classes[0].unread), [("丽妈", vec!["小丽"])]);
        let mut elsewhere = assemble(ReceiptFacts {
            states: &states,
            ..facts(&notice, &children, &classes, &student_names, &guardian_names)
        });
        assert!(!narrow(&mut elsewhere, Some(id(99))), "a class the notice did not reach");
    }

    fn facts<'a>(
        notice: &'a notice::Model,
        children: &'a [ItemChild],
        classes: &'a HashMap<Uuid, class::Model>,
        student_names: &'a HashMap<Uuid, String>,
        guardian_names: &'a HashMap<Uuid, String>,
    ) -> ReceiptFacts<'a> {
        ReceiptFacts { notice, states: &[], children, classes, student_names, guardian_names, staff_names: &[] }
    }

    #[test]
    fn a_guardian_of_two_children_in_one_class_counts_once_with_both_names() {
        let notice = notice(ResponseMode::Confirm, RecipientKind::Family, &[]);
        let states = [state(10, false, false, None)];
        let children = [child(10, 100, 50), child(10, 101, 50)];
        let classes = HashMap::from([class(50, 1, 1)]);
        let student_names = HashMap::from([(id(100), "大宝".into()), (id(101), "二宝".into())]);
        let guardian_names = HashMap::from([(id(10), "妈妈".into())]);
        let receipts = assemble(ReceiptFacts {
            notice: &notice,
            states: &states,
            children: &children,
            classes: &classes,
            student_names: &student_names,
            guardian_names: &guardian_names,
            staff_names: &[],
        });
        assert_eq!((receipts.recipient_count, receipts.not_responded), (1, 1));
        assert_eq!(receipts.classes[0].recipients, 1);
        assert_eq!(names(&receipts.classes[0].unread), [("妈妈", vec!["大宝", "二宝"])]);
    }

    #[test]
    fn read_notices_count_no_responses_and_list_no_one_as_not_responded() {
        let notice = notice(ResponseMode::Read, RecipientKind::Family, &[]);
        let states = [state(10, true, false, None)];
        let children = [child(10, 100, 50)];
        let classes = HashMap::from([class(50, 1, 1)]);
        let receipts = assemble(ReceiptFacts {
            notice: &notice,
            states: &states,
            children: &children,
            classes: &classes,
            student_names: &HashMap::new(),
            guardian_names: &HashMap::new(),
            staff_names: &[],
        });
        assert_eq!((receipts.responded, receipts.not_responded), (0, 0));
        assert!(receipts.classes[0].not_responded.is_empty());
        assert_eq!(receipts.classes[0].read, 1);
    }

    #[test]
    fn staff_receipts_name_the_unread_once_each_by_name() {
        let notice = notice(ResponseMode::Read, RecipientKind::Staff, &[]);
        let states = [state(10, false, false, None), state(11, true, false, None), state(12, false, false, None)];
        assert_eq!(unread_accounts(&states), [id(10), id(12)]);
        // 12 works at two schools under the same name: listed once.
        let staff_names = [(id(12), "赵老师".to_owned()), (id(10), "钱老师".to_owned()), (id(12), "赵老师".to_owned())];
        let receipts = assemble(ReceiptFacts {
            notice: &notice,
            states: &states,
            children: &[],
            classes: &HashMap::new(),
            student_names: &HashMap::new(),
            guardian_names: &HashMap::new(),
            staff_names: &staff_names,
        });
        assert_eq!((receipts.read, receipts.unread), (1, 2));
        assert!(receipts.classes.is_empty());
        let unread: Vec<_> = receipts.staff_unread.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(unread, ["赵老师", "钱老师"]);
    }
}
