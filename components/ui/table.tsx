import { useId } from 'react';

/** A CSS string literal's content: the label text with quotes, backslashes and line breaks escaped. */
const cssString = (text: string) => text.replace(/[\\"]/g, '\\$&').replace(/[\r\n]+/g, ' ');

/**
 * The per-table half of the phone layout (app/globals.css has the rest): under the `sm`
 * breakpoint, each labelled column's cells make room for, and show, the column's name.
 */
function phoneLabels(scope: string, head: React.ReactNode[]): string {
  const rules = head.flatMap((label, i) => {
    if (typeof label !== 'string' || !label) return [];
    const cell = `[data-table="${scope}"] > table > tbody > tr > td:nth-child(${i + 1})`;
    return [`${cell}{padding-left:7.5rem}`, `${cell}::before{content:"${cssString(label)}"}`];
  });
  return rules.length ? `@media (max-width: 639.98px){${rules.join('')}}` : '';
}

/**
 * A console table. On wider screens a plain table (scrolling sideways if it must); on phones each
 * row is a card of labelled lines, so nothing is hidden off to the side.
 */
export function Table({ caption, head, children, empty }: { caption: string; head: React.ReactNode[]; children: React.ReactNode; empty?: React.ReactNode }) {
  const scope = useId().replace(/[^A-Za-z0-9_-]/g, '');
  const labels = phoneLabels(scope, head);
  return (
    <div className="-mx-4 overflow-x-auto sm:mx-0" data-table={scope}>
      {labels && <style>{labels}</style>}
      <table className="stacked-table min-w-full divide-y divide-slate-200 text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr>
            {head.map((h, i) => (
              <th key={i} scope="col" className="whitespace-nowrap px-4 py-2 text-left text-xs font-semibold uppercase tracking-wide text-slate-500 first:pl-4 sm:first:pl-0">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
      {empty}
    </div>
  );
}

export const cellStyles = 'px-4 py-2.5 align-top first:pl-4 sm:first:pl-0';
