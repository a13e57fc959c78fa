// The dashboard page against a demo server (BASE), in Debian's Chromium: what the page shows must
// be what the API answers. Screenshots of every page go to SHOTS.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const BASE = process.env.BASE;
const SHOTS = process.env.SHOTS;
const PASSWORD = 'jiaxiao-demo';

async function api(path, token) {
  const response = await fetch(`${BASE}/api/v1${path}`, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  assert.ok(response.ok, `${path}: ${response.status}`);
  return response.json();
}

async function tokenOf(login) {
  const response = await fetch(`${BASE}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ login, password: PASSWORD }),
  });
  return (await response.json()).access_token;
}

// The published forms, as the page and the CSV write them.
const count = (c, k) => (c.value === null ? `<${k}` : String(c.value));
function percent(p, k) {
  if (p.value !== null) return `${p.value.toFixed(1)} %`;
  if (p.bound === 'below5') return '<5 %';
  if (p.bound === 'above95') return '>95 %';
  return `<${k}`;
}

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
const failures = [];
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  const page = await context.newPage();
  page.on('pageerror', (error) => failures.push(`page error: ${error.message}`));
  const cell = (key) => page.locator(`[data-cell="${key}"]`).innerText();
  const open = async (name) => {
    await page.click(`nav button[data-page="${name}"]`);
    await page.waitForSelector(`#page[data-ready="${name}"]`);
  };

  // The bureau officer signs in and sees the district.
  await page.goto(`${BASE}/dashboard/`);
  await page.fill('input[name=login]', 'bureau@demo.jiaxiao.cn');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#page[data-ready="overview"]');
  const bureau = await tokenOf('bureau@demo.jiaxiao.cn');
  const district = (await api('/me', bureau)).districts[0].id;
  const data = await api(`/districts/${district}/dashboard`, bureau);
  const k = data.k;
  const schools = data.reach.schools;
  assert.equal(await page.locator('[data-table="overview"] tbody tr').count(), schools.length, 'one row per school');
  for (const s of schools) {
    assert.equal(await cell(`overview:${s.school_id}:name`), s.school_name);
    assert.equal(await cell(`overview:${s.school_id}:activated`), percent(s.activated_percent, k));
    const ps = data.parent_school.schools.find((x) => x.school_id === s.school_id);
    assert.equal(await cell(`overview:${s.school_id}:participation`), percent(ps.participation, k));
  }
  await page.screenshot({ path: `${SHOTS}/overview.png`, fullPage: true });

  // Every area's page: a chart where it has one, and the table's figures equal the API's.
  for (const name of ['homework', 'afterschool', 'mentoring', 'parent_school', 'complaints', 'bulletins']) {
    await open(name);
    if (name !== 'bulletins') {
      await page.waitForSelector(`[data-chart="${name}"] canvas`);
    }
    await page.screenshot({ path: `${SHOTS}/${name}.png`, fullPage: true });
  }
  await open('homework');
  await page.waitForSelector('[data-chart="trend"] canvas');
  const junior = data.homework.schools.find((s) => s.school_name === '示范区第一初级中学');
  const nine = junior.grades.find((g) => g.grade === 9);
  assert.equal(await cell(`homework:${junior.school_id}:9:average`), nine.average_daily_written_minutes.toFixed(1));
  assert.equal(await cell(`homework:${junior.school_id}:9:within_cap`), `${nine.within_cap_percent.toFixed(1)} %`);
  assert.match(await page.locator(`[data-cell="homework:${junior.school_id}:9:within_cap"]`).getAttribute('class'), /bad/);
  await open('parent_school');
  await page.waitForSelector('[data-chart="participation-trend"] canvas');
  const village = data.parent_school.schools.find((s) => s.school_name === '示范区青山村教学点');
  assert.equal(await cell(`parent_school:${village.school_id}:families`), '<10', 'a suppressed cell reads "<10"');
  assert.equal(await cell(`parent_school:${village.school_id}:families`), count(village.families, k));
  const firstSchool = data.parent_school.schools[0];
  assert.equal(await cell(`parent_school:${firstSchool.school_id}:classes_met`),
    `${firstSchool.classes_with_meeting}/${firstSchool.classes}`);
  const used = data.parent_school.district_courses[0];
  assert.ok(used && used.schools_using > 0, 'the demo district uses its catalogue');
  assert.equal(await cell(`catalogue:${used.course_id}:schools_using`), String(used.schools_using));
  assert.equal(await cell(`catalogue:${used.course_id}:families`), count(used.families, k));
  await open('complaints');
  for (const s of data.complaints.schools) {
    assert.equal(await cell(`complaints:${s.school_id}:received`), count(s.received, k));
  }
  await open('bulletins');
  const list = await api(`/districts/${district}/bulletins`, bureau);
  const latest = await api(`/districts/${district}/bulletins/${list.items[0].period_start}`, bureau);
  assert.match(await page.locator('[data-bulletin]').innerText(), new RegExp(latest.period_start));
  const short = latest.schools.find((s) => s.school_name === '示范区第一初级中学');
  assert.match(await cell(`bulletins:${short.school_id}:shortfalls`), /作业超上限/);

  // A CSV download is the API's CSV.
  await open('overview');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-csv="reach"]')]);
  assert.equal(download.suggestedFilename(), 'reach.csv');

  // English on a toggle.
  await page.click('#lang');
  assert.equal(await page.locator('nav button[data-page="homework"]').innerText(), 'Homework');
  await page.screenshot({ path: `${SHOTS}/overview-en.png`, fullPage: true });
  await page.click('#lang');

  // Another period picked: the page reads it from the API, and shows what the API answers for it.
  await page.selectOption('#period-pick', 'month');
  await page.waitForSelector('#page[data-ready="overview"]');
  const from = await page.locator('#period').getAttribute('data-from');
  const to = await page.locator('#period').getAttribute('data-to');
  assert.match(from, /^\d{4}-\d{2}-01$/, 'the month starts on the 1st');
  const month = await api(`/districts/${district}/dashboard?from=${from}&to=${to}`, bureau);
  for (const s of month.parent_school.schools) {
    assert.equal(await cell(`overview:${s.school_id}:participation`), percent(s.participation, k));
  }
  await open('complaints');
  for (const s of month.complaints.schools) {
    assert.equal(await cell(`complaints:${s.school_id}:received`), count(s.received, k));
  }
  await page.screenshot({ path: `${SHOTS}/complaints-month.png`, fullPage: true });

  // A school admin sees their own school alone.
  await page.click('#sign-out');
  await page.fill('input[name=login]', 'admin@shiyan.demo.jiaxiao.cn');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForSelector('#page[data-ready="overview"]');
  const rows = page.locator('[data-table="overview"] tbody tr');
  assert.equal(await rows.count(), 1, 'a school admin sees one school');
  assert.equal(await rows.first().locator('th').innerText(), '示范区实验小学');
  assert.equal(await page.locator('#who').innerText(), '示范区实验小学');
  await page.screenshot({ path: `${SHOTS}/school-admin.png`, fullPage: true });
  // The school's own part of the latest bulletin, as the API lists it (not the browser's clock).
  const admin = await tokenOf('admin@shiyan.demo.jiaxiao.cn');
  const schoolId = (await api('/me', admin)).staff.find((s) => s.is_school_admin).school_id;
  const own = await api(`/schools/${schoolId}/bulletins`, admin);
  await open('bulletins');
  assert.match(await page.locator('[data-bulletin]').innerText(), new RegExp(own.items[0].period_start));
  assert.equal(await page.locator('[data-table="bulletins"] tbody tr').count(), 1);

  // A guardian is not let in.
  await page.click('#sign-out');
  await page.fill('input[name=login]', 'parent@demo.jiaxiao.cn');
  await page.fill('input[name=password]', PASSWORD);
  await page.click('form button[type=submit]');
  await page.waitForFunction(() => document.getElementById('sign-in-error').textContent.length > 0);
  assert.equal(await page.locator('#app').isHidden(), true);
} catch (error) {
  failures.push(error.stack || String(error));
} finally {
  await browser.close();
}
if (failures.length) {
  console.error(failures.join('\n'));
  process.exit(1);
}
console.log(`dashboard page: every page shown, figures equal the API's; screenshots in ${SHOTS}`);
