//! The printable certificate: one A4 page of HTML (no script, no external asset), holding only
//! what the public check shows. Text is escaped; nothing a family typed reaches it.

use super::dto::{CertificateCheck, CertificateStatus};
use crate::org::model::Stage;

fn escape(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '&' => "&amp;".to_owned(),
            '"' => "&quot;".to_owned(),
            '\'' => "&#39;".to_owned(),
            c => c.to_string(),
        })
        .collect()
}

/// The page for one certificate.
pub fn page(check: &CertificateCheck) -> String {
    let stage = match check.stage {
        Stage::Primary => "小学",
        Stage::Junior => "初中",
    };
    let status = match check.status {
        CertificateStatus::Valid => "",
        CertificateStatus::Revoked => "<p class=\"void\">本证书已撤销 / Revoked</p>",
        CertificateStatus::Superseded => "<p class=\"void\">本证书已由新版本替代 / Superseded by a newer version</p>",
    };
    format!(
        r#"<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>家长学校结业证书 {code}</title>
<style>
@page {{ size: A4; margin: 20mm; }}
body {{ font-family: "Noto Serif CJK SC", "Songti SC", serif; text-align: center; color: #222; }}
.frame {{ border: 3px double #a33; padding: 24mm 16mm; min-height: 200mm; box-sizing: border-box; }}
h1 {{ font-size: 32pt; letter-spacing: .3em; margin: 0 0 16mm; }}
p {{ font-size: 15pt; line-height: 2; }}
.void {{ color: #a33; font-weight: bold; font-size: 18pt; }}
.code {{ margin-top: 24mm; font-family: monospace; font-size: 12pt; }}
</style></head>
<body><div class="frame">
<h1>结业证书</h1>
{status}
<p><strong>{guardians}</strong> 家长：</p>
<p>参加{school}家长学校（{stage}学段）学习，修满规定学分，准予结业。</p>
<p>{year}–{next} 学年 · 第 {version} 版</p>
<p>{school}<br>{issued}</p>
<p class="code">验证码 / Verification code: {code}<br>GET /api/v1/certificates/{code}</p>
</div></body></html>
"#,
        code = escape(&check.code),
        guardians = escape(&check.guardian_names_masked),
        school = escape(&check.school_name),
        year = check.school_year,
        next = check.school_year + 1,
        version = check.version,
        issued = check.issued_on.format("%Y-%m-%d"),
    )
}
