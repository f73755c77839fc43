/**
 * Card face layouts (issue 11), administered like the card profiles: for
 * each profile, the zones FIPS 201-3 §4.1.4 leaves to the agency (agency
 * lines, the reserved affiliation colour, header, seal, issue date,
 * abbreviation, footer, return address, Title 18 notice) and, beside the
 * form, the card face as the core draws it from the draft: the same data the
 * printer gets. The core validates every change and names the field it refuses.
 */
import { useEffect, useState, type ChangeEvent, type FormEvent } from 'react';
import { AFFILIATION_COLORS, CardLayoutFields, FOOTER_STYLES, LAYOUT_FIELD_WORDS, type CardLayout, type CardLayoutViewShape } from '../../../../electron/contract/card-layout';
import type { CardFaceView } from '../../../../electron/contract/station-api';
import { useLayouts, useStores } from '../../stores/stores';
import { CardFacePreview } from '../cardface/CardFacePreview';

/** Words for the Zone 15F colours (FIPS 201-3: reserved, nothing else may be used). */
const COLOR_WORDS: Record<(typeof AFFILIATION_COLORS)[number], string> = {
  white: 'White: government employee',
  green: 'Green: contractor',
  blue: 'Blue: foreign national',
};
/** Largest seal file sent, bytes. */
const MAX_SEAL_BYTES = 512 * 1024;
/** Quiet time after a change before the preview is drawn again, ms. */
const PREVIEW_DELAY_MS = 250;

function draftOf(l: CardLayoutViewShape): CardLayout {
  return {
    agencyLines: [...l.agencyLines],
    affiliationColor: l.affiliationColor,
    header: l.header,
    showSeal: l.showSeal,
    showIssueDate: l.showIssueDate,
    orgAbbreviation: l.orgAbbreviation,
    footer: l.footer,
    footerStyle: l.footerStyle,
    returnAddress: [...l.returnAddress],
    title18Notice: l.title18Notice,
  };
}

/** The first rule a draft breaks, in words, or null (the core checks again). */
function draftProblem(draft: CardLayout): string | null {
  const r = CardLayoutFields.safeParse(draft);
  if (r.success) return null;
  const issue = r.error.issues[0];
  const field = String(issue?.path[0] ?? 'layout');
  return `${LAYOUT_FIELD_WORDS[field] ?? field}: ${issue?.message ?? 'is not acceptable'}.`;
}

const orNull = (v: string) => (v.trim() === '' ? null : v);
const lines = (v: string) => v.split('\n').map((l) => l.trim()).filter((l) => l !== '');

/**
 * A textarea of lines: the officer's text is kept as typed (spaces, an empty line being
 * started), the layout gets its trimmed non-empty lines.
 */
function LinesInput({ value, onChange, rows, testId }: { value: string[]; onChange(lines: string[]): void; rows: number; testId: string }) {
  const [text, setText] = useState(() => value.join('\n'));
  // A layout loaded or saved since: show it, unless it is what the text already says.
  useEffect(() => setText((t) => (JSON.stringify(lines(t)) === JSON.stringify(value) ? t : value.join('\n'))), [value]);
  return (
    <textarea
      data-testid={testId}
      rows={rows}
      value={text}
      onChange={(e) => {
        setText(e.target.value);
        onChange(lines(e.target.value));
      }}
    />
  );
}

export function LayoutsScreen() {
  const stores = useStores();
  const list = useLayouts((s) => s.list);
  const listError = useLayouts((s) => s.listError);
  useEffect(() => {
    void stores.layouts.getState().load();
  }, [stores]);
  return (
    <section className="layouts-screen" data-testid="layouts-screen" aria-labelledby="layouts-title">
      <h2 id="layouts-title">Card face layouts</h2>
      <p className="muted">
        The zones FIPS 201-3 makes mandatory (photograph, name, affiliation, agency, expiration, card serial, issuer) are always printed. Type: Liberation Sans, the
        metric-compatible stand-in for the Arial the standard names.
      </p>
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {list.map((l) => (
        <LayoutEditor key={l.profile} layout={l} />
      ))}
    </section>
  );
}

function LayoutEditor({ layout }: { layout: CardLayoutViewShape }) {
  const stores = useStores();
  const saveError = useLayouts((s) => s.saveErrors[layout.profile]);
  const [draft, setDraft] = useState<CardLayout>(() => draftOf(layout));
  const [seal, setSeal] = useState<string | null | undefined>(undefined);
  const [sealError, setSealError] = useState<string | null>(null);
  const [face, setFace] = useState<CardFaceView | null>(null);
  const [previewError, setPreviewError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState(false);
  const profile = layout.profile;
  useEffect(() => setDraft(draftOf(layout)), [layout]);
  const problem = draftProblem(draft);

  // The preview follows the draft: drawn by the core from exactly what Save would store.
  useEffect(() => {
    if (problem) return;
    let live = true;
    const t = setTimeout(() => {
      void stores.layouts
        .getState()
        .preview(profile, draft)
        .then((f) => {
          if (!live) return;
          if (typeof f === 'string') setPreviewError(f);
          else {
            setFace(f);
            setPreviewError(null);
          }
        });
    }, PREVIEW_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(t);
    };
  }, [draft, problem, profile, stores, layout.version]);

  const change = (patch: Partial<CardLayout>) => {
    setSaved(false);
    setDraft((d) => ({ ...d, ...patch }));
  };

  async function chooseSeal(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    e.target.value = '';
    setSealError(null);
    if (!file) return;
    if (file.size > MAX_SEAL_BYTES) {
      setSealError('The seal image is too large (at most 512 KB).');
      return;
    }
    const bytes = new Uint8Array(await file.arrayBuffer());
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    setSeal(btoa(binary));
    setSaved(false);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setSaving(true);
    const result = await stores.layouts.getState().update(profile, { ...draft, ...(seal !== undefined ? { seal } : {}) });
    setSaving(false);
    if (result) setSeal(undefined);
    setSaved(result !== null);
  }

  const id = (name: string) => `layout-${profile}-${name}`;
  return (
    <form className="layout-editor step" data-testid="layout-card" data-profile-id={profile} data-version={layout.version} onSubmit={submit} aria-labelledby={id('title')}>
      <h3 id={id('title')}>
        {profile} <span className="muted">· version {layout.version}, changed by {layout.updatedBy}</span>
      </h3>
      <div className="layout-columns">
        <div className="grid">
          <label>
            Agency, department or organization (zone 10F, one or two lines of at most 20 characters)
            <LinesInput testId="layout-agency" rows={2} value={draft.agencyLines} onChange={(agencyLines) => change({ agencyLines })} />
          </label>
          <fieldset role="radiogroup" aria-label="Affiliation colour">
            <legend>Affiliation colour (zones 15F and 18F)</legend>
            {AFFILIATION_COLORS.map((c) => (
              <label key={c} className="choice">
                <input type="radio" name={id('color')} data-testid={`layout-color-${c}`} checked={draft.affiliationColor === c} onChange={() => change({ affiliationColor: c })} />
                {COLOR_WORDS[c]}
              </label>
            ))}
          </fieldset>
          <label>
            Header (zone 9F; empty: none)
            <input data-testid="layout-header" value={draft.header ?? ''} onChange={(e) => change({ header: orNull(e.target.value) })} />
          </label>
          <label className="choice">
            <input type="checkbox" data-testid="layout-show-seal" checked={draft.showSeal} onChange={(e) => change({ showSeal: e.target.checked })} />
            Agency seal (zone 11F){layout.hasSeal ? '' : ' — no seal image yet'}
          </label>
          <label>
            Seal image (PNG or JPEG, about 20 × 20 mm at 300 DPI)
            <input type="file" accept="image/png,image/jpeg" data-testid="layout-seal-file" onChange={(e) => void chooseSeal(e)} />
          </label>
          {sealError && (
            <p className="error" role="alert">
              {sealError}
            </p>
          )}
          <label className="choice">
            <input type="checkbox" data-testid="layout-show-issue-date" checked={draft.showIssueDate} onChange={(e) => change({ showIssueDate: e.target.checked })} />
            Issue date (zone 13F)
          </label>
          <label>
            Organization abbreviation (zone 20F; empty: none)
            <input data-testid="layout-abbreviation" value={draft.orgAbbreviation ?? ''} onChange={(e) => change({ orgAbbreviation: orNull(e.target.value) })} />
          </label>
          <label>
            Footer (zone 12F; empty: none)
            <input data-testid="layout-footer" value={draft.footer ?? ''} onChange={(e) => change({ footer: orNull(e.target.value) })} />
          </label>
          <label>
            Footer style
            <select data-testid="layout-footer-style" value={draft.footerStyle} onChange={(e) => change({ footerStyle: e.target.value as CardLayout['footerStyle'] })}>
              {FOOTER_STYLES.map((f) => (
                <option key={f} value={f}>
                  {f === 'emergency' ? 'Emergency response official: white on red' : 'Black text'}
                </option>
              ))}
            </select>
          </label>
          <label>
            Return address on the back (zone 4B, up to three lines)
            <LinesInput testId="layout-return-address" rows={3} value={draft.returnAddress} onChange={(returnAddress) => change({ returnAddress })} />
          </label>
          <label className="choice">
            <input type="checkbox" data-testid="layout-title18" checked={draft.title18Notice} onChange={(e) => change({ title18Notice: e.target.checked })} />
            Section 499, Title 18 notice on the back (zone 7B)
          </label>
        </div>
        <div className="layout-preview" data-testid="layout-preview">
          {face && <CardFacePreview face={face} testId="layout-face" />}
          {previewError && <p className="error">{previewError}</p>}
        </div>
      </div>
      {problem && (
        <p className="error" role="alert" data-testid="layout-problem">
          {problem}
        </p>
      )}
      {saveError && (
        <p className="error" role="alert" data-testid="layout-error" data-field={saveError.field ?? ''}>
          {saveError.sentence}
        </p>
      )}
      {saved && (
        <p className="notice" role="status" data-testid="layout-saved">
          Saved as version {layout.version}.
        </p>
      )}
      <button type="submit" className="primary" data-testid="layout-save" disabled={saving || problem !== null}>
        {saving ? 'Saving…' : 'Save the layout'}
      </button>
    </form>
  );
}
