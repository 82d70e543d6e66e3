// eventkit catalog: theme toggle and search. The only script on the site; loads the search index on first use.
const root = document.documentElement;
const toggle = document.querySelector('.theme-toggle');
const media = window.matchMedia('(prefers-color-scheme: dark)');
const isDark = () => (root.dataset.theme ? root.dataset.theme === 'dark' : media.matches);
const syncToggle = () => {
  if (!toggle) return;
  toggle.setAttribute('aria-pressed', String(isDark()));
};
syncToggle();
media.addEventListener('change', syncToggle);
toggle?.addEventListener('click', () => {
  const next = isDark() ? 'light' : 'dark';
  root.dataset.theme = next;
  try {
    localStorage.setItem('eventkit-theme', next);
  } catch {}
  syncToggle();
});

// Graphs fit their box's width; where that scales one down, "Actual size" shows it unscaled (scrolling).
for (const button of document.querySelectorAll('.graph-zoom')) {
  const box = document.getElementById(button.getAttribute('aria-controls'));
  const svg = box?.querySelector('svg');
  if (!box || !svg) continue;
  const natural = Number(svg.getAttribute('width'));
  const sync = () => {
    button.hidden = !(natural > box.clientWidth || box.classList.contains('graph-scroll--actual'));
  };
  sync();
  window.addEventListener('resize', sync);
  button.addEventListener('click', () => {
    const actual = box.classList.toggle('graph-scroll--actual');
    button.setAttribute('aria-pressed', String(actual));
    button.textContent = actual ? 'Fit width' : 'Actual size';
    sync();
  });
}

const input = document.getElementById('site-search');
const list = document.getElementById('search-results');
const status = document.getElementById('search-status');
const siteRoot = new URL('../', import.meta.url);
let engine;
let loading;
let active = -1;
let items = [];

function load() {
  loading ??= Promise.all([
    import('./minisearch.js'),
    fetch(new URL('search-index.json', siteRoot)).then((r) => {
      if (!r.ok) throw new Error(`search index: HTTP ${r.status}`);
      return r.json();
    }),
  ]).then(([mod, data]) => {
    engine = mod.default.loadJS(data.index, data.options);
    return engine;
  });
  return loading;
}

const KIND = { event: 'Event', service: 'Service', context: 'Context', team: 'Team' };

function close() {
  list.hidden = true;
  input.setAttribute('aria-expanded', 'false');
  input.removeAttribute('aria-activedescendant');
  active = -1;
}

function highlight(i) {
  for (const [j, el] of items.entries()) el.setAttribute('aria-selected', String(i === j));
  active = i;
  const el = items[i];
  if (el) {
    input.setAttribute('aria-activedescendant', el.id);
    el.scrollIntoView({ block: 'nearest' });
  }
}

function render(query, results) {
  list.replaceChildren();
  items = [];
  if (!query) return close();
  if (results.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'search-empty';
    empty.textContent = `Nothing matches “${query}”.`;
    list.append(empty);
  }
  results.slice(0, 12).forEach((r, i) => {
    const a = document.createElement('a');
    a.href = new URL(r.url, siteRoot).href;
    a.id = `search-result-${i}`;
    a.className = 'search-result';
    a.setAttribute('role', 'option');
    a.setAttribute('aria-selected', 'false');
    a.dataset.kind = r.kind;
    const kind = document.createElement('span');
    kind.className = `search-kind search-kind--${r.kind}`;
    kind.textContent = KIND[r.kind] ?? r.kind;
    const title = document.createElement('span');
    title.className = 'search-title';
    title.textContent = r.title;
    const detail = document.createElement('span');
    detail.className = 'search-detail';
    const viaField = Object.entries(r.match).find(
      ([, where]) => where.includes('fields') && !where.includes('title'),
    );
    detail.textContent = viaField ? `field ${viaField[0]} · ${r.detail}` : r.detail;
    a.append(kind, title, detail);
    list.append(a);
    items.push(a);
  });
  list.hidden = false;
  input.setAttribute('aria-expanded', 'true');
  status.textContent = `${results.length} result${results.length === 1 ? '' : 's'}`;
  active = -1;
}

async function run() {
  const query = input.value.trim();
  if (!query) return render('', []);
  try {
    const search = engine ?? (await load());
    if (input.value.trim() !== query) return;
    const results = search.search(query, {
      prefix: true,
      fuzzy: 0.15,
      boost: { title: 3, name: 2, subject: 1.5 },
      combineWith: 'AND',
    });
    render(query, results);
  } catch (error) {
    list.replaceChildren(
      Object.assign(document.createElement('p'), {
        className: 'search-empty',
        textContent: 'Search is unavailable here (serve the site over HTTP).',
      }),
    );
    list.hidden = false;
    console.warn(error);
  }
}

if (input && list) {
  input.addEventListener(
    'focus',
    () => {
      load().catch(() => {});
    },
    { once: true },
  );
  input.addEventListener('input', run);
  input.addEventListener('keydown', (event) => {
    if (event.key === 'ArrowDown' && items.length) {
      event.preventDefault();
      highlight((active + 1) % items.length);
    } else if (event.key === 'ArrowUp' && items.length) {
      event.preventDefault();
      highlight((active - 1 + items.length) % items.length);
    } else if (event.key === 'Enter') {
      const target = items[active] ?? items[0];
      if (target) {
        event.preventDefault();
        window.location.href = target.href;
      }
    } else if (event.key === 'Escape') {
      if (!list.hidden) close();
      else input.value = '';
    }
  });
  document.addEventListener('click', (event) => {
    if (!event.target.closest('.search')) close();
  });
  document.addEventListener('keydown', (event) => {
    const typing = event.target.closest('input, textarea, select, [contenteditable="true"]');
    if (event.key === '/' && !typing && !event.metaKey && !event.ctrlKey) {
      event.preventDefault();
      input.focus();
    }
  });
}
