// The bureau's dashboard page: signs in with the app's own API and tokens, reads the dashboard
// (the district's for an officer, the school's own for a school admin) and shows it as tables
// and ECharts charts. No build step: this file is served as written. Every value is put into the
// page as text (never as HTML), so a school's name cannot inject markup.
'use strict';

const I18N = {
  zh: {
    title: '家校 · 双减督导看板', signIn: '登录', login: '账号（手机号或邮箱）', password: '密码', signInButton: '登录',
    signOut: '退出', notAllowed: '该账号不是教育局督导人员或学校管理员。', overview: '总览', homework: '作业',
    afterschool: '课后服务', mentoring: '全员导师制', parent_school: '家长学校', complaints: '投诉', bulletins: '半月通报',
    school: '学校', term: '本学期至今', period: '统计期间', asOf: '数据截至', thisMonth: '本月至今', thisHalfMonth: '本半月至今', thisWeek: '本周至今', csv: '下载 CSV', activated: '家长激活率',
    withinCap: '作业未超上限的班级日', basic: '基础托管参加率', coverage: '导师覆盖率', participation: '家长学校参与率',
    overdue: '逾期投诉', noPlan: '未发布方案', grade: '年级', cap: '日上限（分钟）', classDays: '班级日',
    average: '日均书面作业（分钟）', g12: '一二年级有书面作业的班级日', trend: '近六周作业未超上限的班级日（%）', participationTrend: '近六周家长学校参与率（%）', reports: '家长反馈数', reported: '家长反馈用时',
    estimated: '对应预估用时', students: '学生数', inBasic: '参加基础托管', fiveDays: '五天全参加', electives: '社团参加率',
    attendance: '出勤率', satisfaction: '满意度', breaches: '未达标规则', covered: '应配导师学生', withMentor: '已配导师',
    visit: '家访完成率', talk: '谈心完成率', feedback: '书面反馈完成率', families: '家庭数', tookPart: '参与家庭',
    meetings: '已开家长会', classesMet: '开过家长会的班级', perClass: '班均家长会', catalogue: '区级课程使用情况',
    course: '课程', format: '形式', schoolsUsing: '使用学校', sessionsHeld: '已开课次', online: '线上', offline: '线下',
    practice: '亲子实践', duty: '学期任务', done: '已完成', notDone: '未完成', received: '收到投诉', closed: '已办结',
    firstResponse: '平均首次响应（小时）', closure: '平均办结（天）', byCategory: '投诉类别', shortfalls: '未达标项',
    none: '无', noBulletin: '尚无通报', minutes: '分钟', suppressedNote: '“<10”：人数过少，为保护隐私不予显示。',
    homework_over_cap: '作业超上限', no_afterschool_plan: '无课后服务方案', afterschool_plan_broken: '课后服务方案不合规',
    complaints_overdue: '投诉逾期', yes: '是', no: '否', k: '隐私阈值 k',
    homework_burden: '作业负担', homework_for_parents: '给家长布置作业', exam_ranking: '考试排名',
    afterschool_fees: '课后服务收费或强制', off_campus_tutoring: '校外培训', other: '其他',
  },
  en: {
    title: 'Jiaxiao · Double Reduction supervision', signIn: 'Sign in', login: 'Login (mobile or email)',
    password: 'Password', signInButton: 'Sign in', signOut: 'Sign out',
    notAllowed: 'This account is neither a bureau officer nor a school admin.', overview: 'Overview', homework: 'Homework',
    afterschool: 'After school', mentoring: 'Mentoring', parent_school: 'Parent school', complaints: 'Complaints',
    bulletins: 'Bulletins', school: 'School', term: 'this term so far', period: 'Period', asOf: 'as of', thisMonth: 'this month so far', thisHalfMonth: 'this half-month so far', thisWeek: 'this week so far', csv: 'Download CSV',
    activated: 'Guardians activated', withinCap: 'Class-days within the cap', basic: 'In the basic service',
    coverage: 'Mentor coverage', participation: 'Parent-school participation', overdue: 'Overdue complaints',
    noPlan: 'no published plan', grade: 'Grade', cap: 'Cap (min)', classDays: 'Class-days',
    average: 'Daily written (min)', g12: 'Grade 1–2 days with written work',
    trend: 'Class-days within the cap, last six weeks (%)', participationTrend: 'Parent-school participation, last six weeks (%)', reports: 'Reports',
    reported: 'Reported (min)', estimated: 'Estimated (min)', students: 'Students', inBasic: 'In basic service',
    fiveDays: 'All five days', electives: 'In electives', attendance: 'Attendance', satisfaction: 'Satisfaction',
    breaches: 'Rules broken', covered: 'Students covered', withMentor: 'With a mentor', visit: 'Home visits',
    talk: 'Talks', feedback: 'Written feedback', families: 'Families', tookPart: 'Took part', meetings: 'Meetings held',
    classesMet: 'Classes with a meeting', perClass: 'Meetings per class', catalogue: 'District courses in use',
    course: 'Course', format: 'Format', schoolsUsing: 'Schools using', sessionsHeld: 'Sessions held', online: 'online',
    offline: 'offline', practice: 'practice',
    duty: 'Term duty', done: 'met', notDone: 'not met', received: 'Received', closed: 'Closed',
    firstResponse: 'Mean hours to first step', closure: 'Mean days to closure', byCategory: 'By category',
    shortfalls: 'Shortfalls', none: 'none', noBulletin: 'No bulletin yet', minutes: 'min',
    suppressedNote: '"<10": too few people to show.', homework_over_cap: 'homework over the cap',
    no_afterschool_plan: 'no after-school plan', afterschool_plan_broken: 'after-school plan breaks a rule',
    complaints_overdue: 'complaints overdue', yes: 'yes', no: 'no', k: 'Threshold k',
    homework_burden: 'Homework burden', homework_for_parents: 'Homework for parents', exam_ranking: 'Exam ranking',
    afterschool_fees: 'After-school fees', off_campus_tutoring: 'Off-campus tutoring', other: 'Other',
  },
};
const PAGES = ['overview', 'homework', 'afterschool', 'mentoring', 'parent_school', 'complaints', 'bulletins'];

let lang = localStorage.getItem('jiaxiao-lang') === 'en' ? 'en' : 'zh';
let token = sessionStorage.getItem('jiaxiao-token');
let scope = null; // { districtId, schoolId (a school admin's own), who }
let data = null; // the dashboard as the API answered it
let trends = null; // the last six weeks' period figures
let current = 'overview';
let period = 'term'; // the period picked: term (each school's current term), month, half_month or week
const charts = [];

const t = (key) => (I18N[lang] && I18N[lang][key]) || I18N.zh[key] || key;
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(name, value);
  }
  for (const child of children) node.append(child instanceof Node ? child : String(child ?? ''));
  return node;
}

async function api(path, options = {}) {
  const headers = { Accept: 'application/json', 'Accept-Language': lang === 'en' ? 'en' : 'zh-CN', ...(options.headers || {}) };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (options.body) headers['Content-Type'] = 'application/json';
  const response = await fetch(`/api/v1${path}`, { ...options, headers });
  if (response.status === 401 && token) signOut();
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    const error = new Error(body.message || response.statusText);
    error.status = response.status;
    throw error;
  }
  return options.raw ? response : response.json();
}

// The published forms of the API's figures, as the CSV writes them.
const count = (c) => (c ? (c.value === null ? `<${data.k}` : String(c.value)) : '');
function percent(p) {
  if (!p) return '';
  if (p.value !== null) return `${p.value.toFixed(1)} %`;
  if (p.bound === 'below5') return '<5 %';
  if (p.bound === 'above95') return '>95 %';
  return `<${data.k}`;
}
const plain = (v, unit = '') => (v === null || v === undefined ? '–' : `${Number(v).toFixed(1)}${unit}`);
const value = (p) => (p && p.value !== null ? p.value : p && p.bound === 'above95' ? 96 : p && p.bound === 'below5' ? 4 : null);
function grade(v, good, fair) {
  if (v === null || v === undefined) return undefined;
  return v >= good ? 'ok' : v >= fair ? 'warn' : 'bad';
}

function table(section, headers, rows) {
  const head = el('tr', {}, ...headers.map((h) => el('th', {}, t(h))));
  const body = rows.map(([school, cells]) =>
    el('tr', {}, ...cells.map(([field, text, cls], i) =>
      el(i === 0 ? 'th' : 'td', { class: cls, 'data-cell': `${section}:${school}:${field}` }, text))));
  return el('table', { 'data-table': section }, el('thead', {}, head), el('tbody', {}, ...body));
}

function chart(id, option) {
  const box = el('div', { class: 'chart', id: `chart-${id}`, 'data-chart': id });
  $('page').append(box);
  if (window.echarts) {
    const instance = window.echarts.init(box);
    instance.setOption({ animation: false, tooltip: { trigger: 'axis' }, legend: {}, ...option });
    charts.push(instance);
  }
}

function bars(id, names, series, extra = {}) {
  chart(id, {
    xAxis: { type: 'category', data: names, axisLabel: { interval: 0, rotate: names.length > 4 ? 20 : 0 } },
    yAxis: { type: 'value', ...(extra.yAxis || {}) },
    series: series.map((s) => ({ type: 'bar', ...s })),
  });
}

function csvButton(section) {
  const button = el('button', { type: 'button', 'data-csv': section }, t('csv'));
  button.addEventListener('click', async () => {
    const response = await api(withPeriod(dashboardPath(), `format=csv&section=${section}`), { raw: true, headers: { Accept: 'text/csv' } });
    const link = el('a', { href: URL.createObjectURL(await response.blob()), download: `${section}.csv` });
    link.click();
    URL.revokeObjectURL(link.href);
  });
  return el('div', { class: 'toolbar' }, button, el('span', { class: 'muted' }, t('suppressedNote').replace('10', data.k)));
}

const isoDate = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

// The picked period as dates up to today (the API stops each school at its own today); none for
// the term, which the API finds per school.
function periodRange(kind, now = new Date()) {
  const [y, m, day] = [now.getFullYear(), now.getMonth(), now.getDate()];
  switch (kind) {
    case 'week': return { from: isoDate(new Date(y, m, day - ((now.getDay() + 6) % 7))), to: isoDate(now) };
    case 'half_month': return { from: isoDate(new Date(y, m, day >= 16 ? 16 : 1)), to: isoDate(now) };
    case 'month': return { from: isoDate(new Date(y, m, 1)), to: isoDate(now) };
    default: return null;
  }
}

// A dashboard path with the picked period and `extra` as its query.
function withPeriod(path, extra = '') {
  const range = periodRange(period);
  const query = [range ? `from=${range.from}&to=${range.to}` : '', extra].filter(Boolean).join('&');
  return query ? `${path}?${query}` : path;
}

const dashboardPath = () =>
  scope.schoolId ? `/districts/${scope.districtId}/schools/${scope.schoolId}/dashboard` : `/districts/${scope.districtId}/dashboard`;
const byId = (section) => new Map(data[section].schools.map((s) => [s.school_id, s]));

const RENDER = {
  overview() {
    const [hw, as, mt, ps, cp] = ['homework', 'afterschool', 'mentoring', 'parent_school', 'complaints'].map(byId);
    const rows = data.reach.schools.map((r) => {
      const id = r.school_id;
      const within = hw.get(id)?.within_cap_percent;
      const after = as.get(id);
      const overdue = cp.get(id)?.overdue_now ?? 0;
      return [id, [
        ['name', r.school_name],
        ['activated', percent(r.activated_percent), grade(value(r.activated_percent), 80, 50)],
        ['within_cap', plain(within, ' %'), grade(within, 95, 90)],
        ['basic', after?.plan_published ? percent(after.basic_percent) : t('noPlan'),
          after?.plan_published ? (after.breaches.length ? 'warn' : 'ok') : 'bad'],
        ['coverage', percent(mt.get(id)?.coverage), grade(value(mt.get(id)?.coverage), 100, 90)],
        ['participation', percent(ps.get(id)?.participation), grade(value(ps.get(id)?.participation), 50, 20)],
        ['overdue', String(overdue), overdue === 0 ? 'ok' : 'bad'],
      ]];
    });
    $('page').append(csvButton('reach'),
      table('overview', ['school', 'activated', 'withinCap', 'basic', 'coverage', 'participation', 'overdue'], rows));
  },
  homework() {
    const points = data.homework.schools.flatMap((s) => s.grades.map((g) => ({ s, g })));
    bars('homework', points.map(({ s, g }) => `${s.school_name} ${g.grade}`), [
      { name: t('average'), data: points.map(({ g }) => g.average_daily_written_minutes) },
      { name: t('cap'), type: 'line', step: 'middle', data: points.map(({ g }) => g.cap_minutes) },
    ]);
    const rows = points.map(({ s, g }) => [`${s.school_id}:${g.grade}`, [
      ['name', s.school_name], ['grade', String(g.grade)], ['cap', String(g.cap_minutes)], ['class_days', String(g.class_days)],
      ['average', plain(g.average_daily_written_minutes)],
      ['within_cap', plain(g.within_cap_percent, ' %'), grade(g.within_cap_percent, 95, 90)],
      ['g12', g.class_days_with_written === null ? '' : String(g.class_days_with_written), g.class_days_with_written ? 'bad' : undefined],
      ['reports', count(g.reports)], ['reported', plain(g.reported_average_minutes)], ['estimated', plain(g.estimated_average_minutes)],
    ]]);
    if (trends) {
      $('page').append(el('h3', {}, t('trend')));
      chart('trend', {
        xAxis: { type: 'category', data: trends.periods.map((p) => p.from.slice(5)) },
        yAxis: { type: 'value', max: 100 },
        series: trends.schools.map((s) => ({ type: 'line', name: s.school_name, data: s.homework_within_cap_percent })),
      });
    }
    $('page').append(csvButton('homework'),
      table('homework', ['school', 'grade', 'cap', 'classDays', 'average', 'withinCap', 'g12', 'reports', 'reported', 'estimated'], rows));
  },
  afterschool() {
    const schools = data.afterschool.schools;
    bars('afterschool', schools.map((s) => s.school_name), [
      { name: t('basic'), data: schools.map((s) => value(s.basic_percent)) },
      { name: t('fiveDays'), data: schools.map((s) => value(s.all_five_days_percent)) },
    ], { yAxis: { max: 100 } });
    const rows = schools.map((s) => [s.school_id, [
      ['name', s.school_name], ['students', count(s.students)],
      ['basic', s.plan_published ? percent(s.basic_percent) : t('noPlan'), s.plan_published ? undefined : 'bad'],
      ['five_days', percent(s.all_five_days_percent)], ['electives', percent(s.electives_percent)],
      ['attendance', percent(s.attendance_percent)], ['satisfaction', plain(s.satisfaction)],
      ['breaches', s.breaches.join('、') || t('none'), s.breaches.length ? 'bad' : undefined],
    ]]);
    $('page').append(csvButton('afterschool'),
      table('afterschool', ['school', 'students', 'basic', 'fiveDays', 'electives', 'attendance', 'satisfaction', 'breaches'], rows));
  },
  mentoring() {
    const schools = data.mentoring.schools;
    const task = (s, name) => s.tasks.find((x) => x.task === name)?.completed;
    bars('mentoring', schools.map((s) => s.school_name), [
      { name: t('coverage'), data: schools.map((s) => value(s.coverage)) },
      ...['visit', 'talk', 'feedback'].map((name) => ({ name: t(name), data: schools.map((s) => value(task(s, name))) })),
    ], { yAxis: { max: 100 } });
    const rows = schools.map((s) => [s.school_id, [
      ['name', s.school_name], ['covered', count(s.students_covered)], ['with_mentor', count(s.with_mentor)],
      ['coverage', percent(s.coverage), grade(value(s.coverage), 100, 90)],
      ...['visit', 'talk', 'feedback'].map((name) => [name, percent(task(s, name))]),
    ]]);
    $('page').append(csvButton('mentoring'),
      table('mentoring', ['school', 'covered', 'withMentor', 'coverage', 'visit', 'talk', 'feedback'], rows));
  },
  parent_school() {
    const schools = data.parent_school.schools;
    bars('parent_school', schools.map((s) => s.school_name),
      [{ name: t('participation'), data: schools.map((s) => value(s.participation)) }], { yAxis: { max: 100 } });
    const rows = schools.map((s) => [s.school_id, [
      ['name', s.school_name], ['families', count(s.families)], ['took_part', count(s.took_part)],
      ['participation', percent(s.participation)], ['meetings', String(s.meetings_held)],
      ['classes_met', `${s.classes_with_meeting}/${s.classes}`, s.classes_with_meeting < s.classes ? 'warn' : 'ok'],
      ['per_class', plain(s.meetings_per_class)],
      ['duty', s.duty_met ? t('done') : t('notDone'), s.duty_met ? 'ok' : 'warn'],
    ]]);
    if (trends) {
      // A suppressed week is a gap in the line; a bound is drawn at its edge, as in the bars.
      $('page').append(el('h3', {}, t('participationTrend')));
      chart('participation-trend', {
        xAxis: { type: 'category', data: trends.periods.map((p) => p.from.slice(5)) },
        yAxis: { type: 'value', max: 100 },
        series: trends.schools.map((s) => ({ type: 'line', name: s.school_name, data: s.parent_school_participation.map(value) })),
      });
    }
    $('page').append(csvButton('parent_school'),
      table('parent_school', ['school', 'families', 'tookPart', 'participation', 'meetings', 'classesMet', 'perClass', 'duty'], rows));
    const courses = data.parent_school.district_courses;
    if (courses.length) {
      $('page').append(el('h3', {}, t('catalogue')), table('catalogue', ['course', 'format', 'schoolsUsing', 'families', 'sessionsHeld'],
        courses.map((c) => [c.course_id, [
          ['title', c.title], ['format', t(c.format)], ['schools_using', String(c.schools_using)],
          ['families', count(c.families)], ['sessions_held', String(c.sessions_held)],
        ]])));
    }
  },
  complaints() {
    const categories = data.complaints.by_category.filter((c) => c.received.value !== null);
    chart('complaints', {
      tooltip: { trigger: 'item' },
      series: [{ type: 'pie', radius: '60%', data: categories.map((c) => ({ name: t(c.category), value: c.received.value })) }],
    });
    const rows = data.complaints.schools.map((s) => [s.school_id, [
      ['name', s.school_name], ['received', count(s.received)], ['closed', count(s.closed)],
      ['first_response', plain(s.mean_hours_to_first_response)], ['closure', plain(s.mean_days_to_closure)],
      ['overdue', String(s.overdue_now), s.overdue_now ? 'bad' : 'ok'],
    ]]);
    $('page').append(csvButton('complaints'),
      table('complaints', ['school', 'received', 'closed', 'firstResponse', 'closure', 'overdue'], rows));
  },
  async bulletins() {
    let parts = [];
    let heading = t('noBulletin');
    if (scope.schoolId) {
      const list = await api(`/schools/${scope.schoolId}/bulletins`);
      if (list.items.length) {
        const latest = list.items[0];
        parts = [await api(`/schools/${scope.schoolId}/bulletins/${latest.period_start}`)];
        heading = `${t('bulletins')} ${latest.period_start} – ${latest.period_end}`;
      }
    } else {
      const list = await api(`/districts/${scope.districtId}/bulletins`);
      if (list.items.length) {
        const latest = await api(`/districts/${scope.districtId}/bulletins/${list.items[0].period_start}`);
        parts = latest.schools;
        heading = `${t('bulletins')} ${latest.period_start} – ${latest.period_end}`;
      }
    }
    const rows = parts.map((s) => [s.school_id, [
      ['name', s.school_name],
      ['shortfalls', s.shortfalls.map((f) => t(f.kind)).join('、') || t('none'), s.shortfalls.length ? 'bad' : 'ok'],
    ]]);
    $('page').append(el('h3', { 'data-bulletin': heading }, heading), table('bulletins', ['school', 'shortfalls'], rows));
  },
};

async function render() {
  document.documentElement.lang = lang === 'en' ? 'en' : 'zh-CN';
  document.title = t('title');
  $('lang').textContent = lang === 'en' ? '中文' : 'English';
  for (const node of document.querySelectorAll('[data-i18n]')) node.textContent = t(node.dataset.i18n);
  if (!data) return;
  $('who').textContent = scope.who;
  // When the figures were computed (the default view is precomputed every few minutes).
  const asOf = new Date(data.as_of).toLocaleString(lang === 'en' ? 'en-GB' : 'zh-CN', { dateStyle: 'short', timeStyle: 'short' });
  $('period').textContent = `${data.from && data.to ? `${data.from} – ${data.to}` : t('term')} · ${t('asOf')} ${asOf} · ${t('k')} = ${data.k}`;
  $('period').dataset.from = data.from || '';
  $('period').dataset.to = data.to || '';
  $('period-pick').value = period;
  $('tabs').replaceChildren(...PAGES.map((name) => {
    const button = el('button', { type: 'button', 'data-page': name, 'aria-current': name === current ? 'page' : null }, t(name));
    button.addEventListener('click', () => { current = name; render(); });
    return button;
  }));
  charts.splice(0).forEach((c) => c.dispose());
  $('page').replaceChildren();
  $('page').dataset.page = current;
  await RENDER[current]();
  $('page').dataset.ready = current;
}

async function start() {
  const me = await api('/me');
  if (me.districts.length) {
    scope = { districtId: me.districts[0].id, who: me.districts[0].name };
  } else {
    const admin = me.staff.find((s) => s.is_school_admin);
    if (!admin) throw new Error(t('notAllowed'));
    const school = await api(`/schools/${admin.school_id}`);
    scope = { districtId: school.district_id, schoolId: school.id, who: school.name };
  }
  data = await api(withPeriod(dashboardPath()));
  trends = await api(dashboardPath().replace(/dashboard$/, 'trends?period=week&periods=6')).catch(() => null);
  $('sign-in').hidden = true;
  $('app').hidden = false;
  $('sign-out').hidden = false;
  await render();
}

function signOut() {
  token = null;
  // The next to sign in starts from the overview of the current term.
  period = 'term';
  current = 'overview';
  data = null;
  trends = null;
  sessionStorage.removeItem('jiaxiao-token');
  $('app').hidden = true;
  $('sign-out').hidden = true;
  $('sign-in').hidden = false;
  $('who').textContent = '';
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = new FormData(event.target);
  $('sign-in-error').textContent = '';
  try {
    const pair = await api('/auth/login', { method: 'POST', body: JSON.stringify({ login: form.get('login'), password: form.get('password') }) });
    token = pair.access_token;
    sessionStorage.setItem('jiaxiao-token', token);
    await start();
  } catch (error) {
    signOut();
    $('sign-in-error').textContent = error.message;
  }
});
$('sign-out').addEventListener('click', signOut);
$('period-pick').addEventListener('change', async (event) => {
  period = event.target.value;
  $('page').dataset.ready = '';
  data = await api(withPeriod(dashboardPath()));
  await render();
});
$('lang').addEventListener('click', () => {
  lang = lang === 'en' ? 'zh' : 'en';
  localStorage.setItem('jiaxiao-lang', lang);
  render();
});
window.addEventListener('resize', () => charts.forEach((c) => c.resize()));

render();
if (token) start().catch(signOut);
