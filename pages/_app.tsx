import type { AppProps } from 'next/app';
import Head from 'next/head';
import '../app/globals.css';

/**
 * The Pages Router serves only the sign-in interaction pages (pages/t/…): plain server-rendered
 * forms, which it renders at a third of the App Router's cost per request (see that page).
 */
export default function App({ Component, pageProps }: AppProps) {
  return (
    <>
      <Head>
        <meta name="viewport" content="width=device-width, initial-scale=1" />
      </Head>
      <Component {...pageProps} />
    </>
  );
}
