import { Head, Html, Main, NextScript } from 'next/document';

/** The same document shell as app/layout.tsx, for the Pages Router's sign-in pages. */
export default function Document() {
  return (
    <Html lang="en">
      <Head />
      <body className="min-h-screen bg-slate-100 text-slate-900 antialiased">
        <Main />
        <NextScript />
      </body>
    </Html>
  );
}
