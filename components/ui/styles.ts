/** Shared class names: one look for every console control. */
const focus = 'focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2';
const base = `inline-flex items-center justify-center gap-1.5 rounded-md px-3 py-2 text-sm font-semibold disabled:cursor-not-allowed disabled:opacity-60 ${focus}`;

export const buttonStyles = {
  primary: `${base} bg-indigo-600 text-white shadow-sm hover:bg-indigo-500`,
  secondary: `${base} bg-white text-slate-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50`,
  danger: `${base} bg-red-600 text-white shadow-sm hover:bg-red-500`,
  dangerOutline: `${base} bg-white text-red-700 ring-1 ring-inset ring-red-300 hover:bg-red-50`,
  ghost: `${base} text-slate-700 hover:bg-slate-100`,
} as const;
export type ButtonVariant = keyof typeof buttonStyles;

export const inputStyles =
  'mt-1 block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm shadow-sm placeholder:text-slate-400 focus:border-indigo-500 focus:outline-none focus:ring-1 focus:ring-indigo-500 aria-[invalid=true]:border-red-500 aria-[invalid=true]:ring-red-500 disabled:bg-slate-50';

export const linkStyles = 'font-medium text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 rounded';

export const cardStyles = 'rounded-lg bg-white shadow-sm ring-1 ring-slate-200';
