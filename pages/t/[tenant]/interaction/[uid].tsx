import type { GetServerSideProps } from 'next';
import Head from 'next/head';
import { InteractionStep, interactionMessage, interactionTitle } from '@/components/auth/interaction-step';
import { describeInteraction, type InteractionView } from '@/lib/oidc';

/**
 * The sign-in interaction page as Next.js serves it under `next dev`. In a production build the
 * custom server renders the same component itself (lib/http/interaction-page.tsx): the page is on
 * the hot path of every sign-in and needs nothing Next adds. This route also gives the build its
 * `/_app` stylesheet, which that renderer links. Its /_next/data JSON twin carries no interaction
 * cookie (that cookie is scoped to this path), so it can only ever describe an expired sign-in.
 */

// No client runtime: the forms post natively, so the page ships without Next's JavaScript.
export const config = { runtime: 'nodejs', unstable_runtimeJS: false };

interface Props {
  view: InteractionView;
  /** The form posts' base path. */
  base: string;
  /** The message for the ?error= the last post redirected with, if any. */
  message: string | null;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export const getServerSideProps: GetServerSideProps<Props> = async ({ params, query, req }) => {
  const tenant = String(params?.tenant);
  const uid = String(params?.uid);
  const view = await describeInteraction(tenant, uid, req.headers.cookie ?? '');
  return {
    props: {
      // Props travel as JSON: optional fields that are undefined are dropped rather than refused.
      view: JSON.parse(JSON.stringify(view)) as InteractionView,
      base: `/t/${encodeURIComponent(tenant)}/interaction/${encodeURIComponent(uid)}`,
      message: interactionMessage(first(query.error)),
    },
  };
};

export default function InteractionPage({ view, base, message }: Props) {
  return (
    <>
      <Head>
        <title>{interactionTitle(view)}</title>
      </Head>
      <InteractionStep view={view} base={base} message={message ?? undefined} />
    </>
  );
}
