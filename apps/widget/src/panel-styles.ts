/** Panel styles, adopted into the same shadow root as the launcher (see launcher-styles.ts). */
export const panelCss = `
.panel {
  position: fixed;
  right: 20px;
  bottom: 88px;
  z-index: 2147483000;
  width: 380px;
  max-width: calc(100vw - 40px);
  height: min(620px, calc(100vh - 120px));
  display: flex;
  flex-direction: column;
  background: #ffffff;
  color: #1f2933;
  border-radius: 16px;
  box-shadow: 0 18px 50px rgba(15, 23, 42, 0.25), 0 2px 8px rgba(15, 23, 42, 0.12);
  overflow: hidden;
  animation: cw-in 160ms ease-out;
}
.panel[hidden] { display: none; }
:host([data-position='left']) .panel { right: auto; left: 20px; }
@keyframes cw-in { from { opacity: 0; transform: translateY(8px); } to { opacity: 1; transform: none; } }

.header {
  display: flex; align-items: center; gap: 12px;
  padding: 14px 14px 14px 18px;
  background: var(--accent); color: var(--accent-contrast);
}
.avatar {
  flex: none; width: 36px; height: 36px; border-radius: 50%;
  display: grid; place-items: center;
  background: rgba(255, 255, 255, 0.2); font-weight: 700; font-size: 16px;
}
.avatar img { width: 100%; height: 100%; border-radius: 50%; object-fit: cover; display: block; }
.titles { flex: 1; min-width: 0; }
.title { margin: 0; font-size: 16px; font-weight: 650; line-height: 1.25; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.subtitle { margin: 2px 0 0; font-size: 12.5px; }
.icon-button {
  flex: none; width: 36px; height: 36px; border: 0; border-radius: 10px; padding: 0;
  display: grid; place-items: center; cursor: pointer;
  background: transparent; color: inherit;
}
.icon-button:hover { background: rgba(255, 255, 255, 0.16); }
.icon-button svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; }
.header .icon-button:focus-visible { outline: 3px solid var(--accent-contrast); outline-offset: -3px; }

.log {
  flex: 1; overflow-y: auto; padding: 16px 14px 8px;
  display: flex; flex-direction: column; gap: 10px;
  background: #f6f7f9;
}
.log:focus-visible { outline: 3px solid var(--focus); outline-offset: -3px; }
.msg { max-width: 86%; padding: 10px 13px; border-radius: 14px; overflow-wrap: anywhere; }
.msg p { margin: 0 0 6px; }
.msg p:last-child, .msg ul:last-child, .msg ol:last-child { margin-bottom: 0; }
.msg ul, .msg ol { margin: 4px 0 6px; padding-left: 20px; }
.msg li { margin: 2px 0; }
.msg code { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 13px; background: rgba(15, 23, 42, 0.06); padding: 1px 4px; border-radius: 4px; }
.msg a { color: inherit; text-decoration: underline; text-underline-offset: 2px; }
.assistant { align-self: flex-start; background: #ffffff; border: 1px solid #e3e7ec; border-bottom-left-radius: 4px; }
.with-avatar .assistant { position: relative; margin-left: 34px; max-width: calc(86% - 34px); }
.with-avatar .assistant::before {
  content: ''; position: absolute; left: -34px; bottom: 0; width: 26px; height: 26px; border-radius: 50%;
  background: #e3e7ec center / cover no-repeat;
}
.visitor { align-self: flex-end; background: var(--accent); color: var(--accent-contrast); border-bottom-right-radius: 4px; white-space: pre-wrap; }
.visitor a { color: inherit; }
.operator { align-self: flex-start; background: #ffffff; border: 1px solid #e3e7ec; border-left: 3px solid var(--accent); border-bottom-left-radius: 4px; white-space: pre-wrap; }
.operator .author { display: block; margin: 0 0 2px; font-size: 12px; font-weight: 650; color: var(--accent-ink); letter-spacing: 0.01em; white-space: normal; }
.avatar.person { background: var(--accent-contrast); color: var(--accent); }

.system-line { display: flex; align-items: center; gap: 10px; margin: 4px 2px; font-size: 12px; color: #616e7c; text-align: center; }
.system-line::before, .system-line::after { content: ''; flex: 1; height: 1px; background: #e3e7ec; }
.system-line span { flex: none; max-width: 80%; }

.typing-row { display: flex; align-items: center; gap: 8px; padding: 2px 18px 8px; background: #f6f7f9; font-size: 12.5px; color: #52606d; }
.typing-row[hidden] { display: none; }
.typing-row .typing { padding: 0; }
.typing-row .typing span { width: 6px; height: 6px; }

.cites { line-height: 0; white-space: nowrap; }
.cite { display: inline-block; min-width: 9px; margin-left: 2px; padding: 0 4px; border-radius: 8px; background: #e9edf2; color: #334155; font-size: 10.5px; font-weight: 650; line-height: 15px; text-align: center; cursor: default; }
.msg a.cite { color: #334155; text-decoration: none; cursor: pointer; }
.msg a.cite:hover { background: var(--accent); color: var(--accent-contrast); }
.sources { margin: 10px 0 0; padding-top: 8px; border-top: 1px solid #e3e7ec; font-size: 13px; }
.sources-title { margin: 0 0 4px; font-weight: 650; color: #52606d; font-size: 12px; letter-spacing: 0.02em; text-transform: uppercase; }
.sources ol { margin: 0; padding-left: 20px; }
.sources li { margin: 2px 0; color: #3e4c59; }
.sources li::marker { color: #52606d; font-size: 12px; }
.sources a { color: var(--accent-ink); font-weight: 550; }
.host { color: #52606d; font-size: 12px; }

.error-box {
  align-self: stretch; margin: 2px 6px; padding: 10px 12px; border-radius: 10px;
  font-size: 13.5px; background: #fff5f5; color: #7f1d1d; border: 1px solid #f5c2c2;
  display: flex; align-items: center; gap: 10px; justify-content: space-between;
}
.error-box p { margin: 0; }
.retry {
  flex: none; border: 1px solid #b91c1c; background: #ffffff; color: #991b1b;
  border-radius: 8px; padding: 5px 10px; font: inherit; font-size: 13px; cursor: pointer;
}
.retry:hover { background: #fee2e2; }
.retry:focus-visible, .chip:focus-visible, .send:focus-visible, .input:focus-visible, .log a:focus-visible {
  outline: 3px solid var(--focus); outline-offset: 2px;
}

.typing { display: inline-flex; gap: 4px; padding: 4px 0; }
.typing span { width: 7px; height: 7px; border-radius: 50%; background: #9aa5b1; animation: cw-dot 1s infinite ease-in-out; }
.typing span:nth-child(2) { animation-delay: 0.15s; }
.typing span:nth-child(3) { animation-delay: 0.3s; }
@keyframes cw-dot { 0%, 80%, 100% { opacity: 0.3; transform: translateY(0); } 40% { opacity: 1; transform: translateY(-3px); } }

.starters { display: flex; flex-wrap: wrap; gap: 8px; padding: 4px 14px 10px; background: #f6f7f9; }
.starters[hidden] { display: none; }
.chip {
  border: 1px solid var(--accent-ink); color: var(--accent-ink); background: #ffffff;
  border-radius: 999px; padding: 6px 12px; font: inherit; font-size: 13.5px; cursor: pointer;
  text-align: left;
}
.chip:hover { background: #f3f4f6; }

.composer { display: flex; align-items: flex-end; gap: 8px; padding: 10px 12px; border-top: 1px solid #e3e7ec; background: #ffffff; }
.input {
  flex: 1; resize: none; min-height: 40px; max-height: 140px; box-sizing: border-box;
  padding: 9px 12px; border: 1px solid #cbd2d9; border-radius: 12px;
  font: inherit; color: inherit; background: #ffffff; line-height: 1.4;
}
.input::placeholder { color: #7b8794; }
.send {
  flex: none; width: 40px; height: 40px; border: 0; border-radius: 12px; cursor: pointer;
  display: grid; place-items: center; background: var(--accent); color: var(--accent-contrast);
}
.send:disabled { opacity: 0.45; cursor: not-allowed; }
.send svg { width: 20px; height: 20px; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; }
.footer { background: #ffffff; padding: 0 12px 8px; }
.footnote { margin: 0; font-size: 11.5px; line-height: 1.4; color: #616e7c; text-align: center; }
.remember { display: flex; align-items: center; justify-content: center; gap: 6px; margin: 0 0 4px; font-size: 12.5px; color: #3e4c59; }
.remember[hidden] { display: none; }
.checkbox { width: 16px; height: 16px; margin: 0; accent-color: var(--accent); flex: none; }
.checkbox:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

.contact-form { align-self: stretch; margin: 2px 6px; padding: 12px; border-radius: 12px; background: #ffffff; border: 1px solid #cfe3fb; display: flex; flex-direction: column; gap: 8px; font-size: 13.5px; }
.contact-intro { margin: 0; color: #1e3a5f; }
.contact-label { font-weight: 600; font-size: 12.5px; color: #3e4c59; }
.contact-email { box-sizing: border-box; width: 100%; padding: 8px 10px; border: 1px solid #cbd2d9; border-radius: 10px; font: inherit; color: inherit; }
.consent { display: flex; align-items: flex-start; gap: 8px; font-size: 12.5px; color: #3e4c59; }
.consent .checkbox { margin-top: 2px; }
.contact-submit { align-self: flex-start; border: 0; border-radius: 10px; padding: 7px 14px; font: inherit; font-size: 13.5px; cursor: pointer; background: var(--accent); color: var(--accent-contrast); }
.contact-submit:disabled { opacity: 0.5; cursor: progress; }
.contact-status { margin: 0; font-size: 12.5px; color: #7f1d1d; }
.contact-status:empty { display: none; }
.contact-done { margin: 0; color: #1e3a5f; }
.contact-email:focus-visible, .contact-submit:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }

@media (max-width: 480px) {
  .panel, :host([data-position='left']) .panel { right: 0; left: 0; bottom: 0; width: 100vw; max-width: 100vw; height: 100%; border-radius: 0; }
}
@media (prefers-reduced-motion: reduce) {
  .panel, .typing span { animation: none; }
}
`;
