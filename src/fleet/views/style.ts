// Served as /static/app.css: the CSP allows style-src 'self' only, so no inline styles anywhere.
export const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d2330;background:#f4f6f9}
a{color:#1f5fbf;text-decoration:none}a:hover{text-decoration:underline}
header{display:flex;align-items:center;gap:18px;background:#17202f;color:#dfe6f0;padding:0 20px;height:48px}
header .brand{font-weight:700;color:#fff;letter-spacing:.5px}
header nav a{color:#c5d1e2;margin-right:14px}header nav a.on{color:#fff;font-weight:600}
header .who{margin-left:auto;display:flex;gap:10px;align-items:center;color:#9fb0c8}
header form{margin:0}header button{background:none;border:1px solid #4a5a73;color:#c5d1e2;border-radius:4px;padding:3px 9px;cursor:pointer}
main{padding:20px;max-width:1400px;margin:0 auto}
h1{font-size:20px;margin:0 0 14px}h2{font-size:16px;margin:22px 0 8px}.panel h2:first-child{margin-top:0}
a.card{color:inherit}a.card:hover{text-decoration:none;border-color:#1f5fbf}
svg.chart{max-width:100%;height:auto}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin-bottom:16px}
.card{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:10px 14px;min-width:120px}
.card .n{font-size:22px;font-weight:700}.card .l{color:#5b6678;font-size:12px;text-transform:uppercase}
.panel{background:#fff;border:1px solid #dde3ea;border-radius:6px;padding:14px;margin-bottom:16px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{text-align:left;padding:6px 8px;border-bottom:1px solid #e6eaf0;vertical-align:top}
th{background:#eef2f7;font-weight:600;font-size:12px;color:#3b4658;white-space:nowrap}
th a{color:#3b4658}tr:hover td{background:#f8fafc}
td.num,th.num{text-align:right}
.v{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:600;white-space:nowrap}
.v-compromised{background:#fde2e1;color:#9b1c1c}.v-exploited{background:#fde8d7;color:#9a3d07}
.v-attempted{background:#fef3c7;color:#854d0e}.v-vulnerable{background:#e9e3fb;color:#5b21b6}
.v-clean{background:#dcfce7;color:#166534}.v-inconclusive{background:#e5e7eb;color:#374151}
.lvl-critical{color:#9b1c1c;font-weight:700}.lvl-high{color:#b45309;font-weight:600}.lvl-medium{color:#854d0e}
.lvl-low,.lvl-informational{color:#5b6678}
.state{font-size:12px;background:#e8eef7;border-radius:4px;padding:1px 6px}
.overdue{color:#b91c1c;font-weight:600}
form.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:end;margin-bottom:12px}
form.filters label{display:flex;flex-direction:column;font-size:12px;color:#5b6678}
input,select,textarea{font:inherit;padding:4px 6px;border:1px solid #c3ccd8;border-radius:4px;background:#fff}
button,.btn{font:inherit;background:#1f5fbf;color:#fff;border:0;border-radius:4px;padding:5px 12px;cursor:pointer}
button.secondary{background:#5b6678}
.pager{display:flex;gap:12px;align-items:center;margin:10px 0}
.muted{color:#6b7587}.small{font-size:12px}
pre,code.x{font:12px/1.4 ui-monospace,Consolas,monospace;white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:2px 4px;border-radius:3px}
.grid2{display:grid;grid-template-columns:2fr 1fr;gap:16px}
.kv{display:grid;grid-template-columns:max-content 1fr;gap:4px 14px}.kv dt{color:#5b6678}.kv dd{margin:0}
.flash{background:#e0f2fe;border:1px solid #7dd3fc;padding:8px 12px;border-radius:4px;margin-bottom:12px}
.error{background:#fee2e2;border:1px solid #fca5a5;padding:8px 12px;border-radius:4px;margin-bottom:12px}
.login{max-width:340px;margin:80px auto;background:#fff;border:1px solid #dde3ea;border-radius:8px;padding:24px}
.login label{display:block;margin:10px 0 4px}.login input{width:100%}.login button{margin-top:16px;width:100%}
svg.chart text{font-size:10px;fill:#5b6678}
.legend span{margin-right:12px;font-size:12px}.sw{display:inline-block;width:10px;height:10px;margin-right:4px}
.c-compromised{fill:#dc2626;background:#dc2626}.c-exploited{fill:#ea580c;background:#ea580c}.c-attempted{fill:#eab308;background:#eab308}
.c-vulnerable{fill:#7c3aed;background:#7c3aed}.c-clean{fill:#16a34a;background:#16a34a}.c-inconclusive{fill:#9ca3af;background:#9ca3af}
.bulk{display:flex;gap:8px;align-items:center;margin-top:10px}
`;
