'use client';

import Link from 'next/link';
import { usePathname } from 'next/navigation';

export interface NavItem {
  href: string;
  label: string;
  /** Active only on this exact path (e.g. an overview whose children are other tabs). */
  exact?: boolean;
}

/** Links with aria-current on the page being shown. */
export function NavLinks({ items, label, variant = 'pills' }: { items: NavItem[]; label: string; variant?: 'pills' | 'tabs' }) {
  const pathname = usePathname() ?? '';
  const active = (item: NavItem) => (item.exact ? pathname === item.href : pathname === item.href || pathname.startsWith(`${item.href}/`));
  if (variant === 'tabs') {
    return (
      <nav aria-label={label} className="-mb-px flex gap-1 overflow-x-auto">
        {items.map((item) => (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active(item) ? 'page' : undefined}
            className="whitespace-nowrap border-b-2 border-transparent px-3 py-2 text-sm font-medium text-slate-600 hover:border-slate-300 hover:text-slate-900 aria-[current=page]:border-indigo-600 aria-[current=page]:text-indigo-700"
          >
            {item.label}
          </Link>
        ))}
      </nav>
    );
  }
  return (
    <nav aria-label={label} className="flex flex-wrap gap-1 text-sm">
      {items.map((item) => (
        <Link
          key={item.href}
          href={item.href}
          aria-current={active(item) ? 'page' : undefined}
          className="rounded-md px-2.5 py-1.5 font-medium text-slate-300 hover:bg-slate-800 hover:text-white aria-[current=page]:bg-slate-800 aria-[current=page]:text-white"
        >
          {item.label}
        </Link>
      ))}
    </nav>
  );
}
