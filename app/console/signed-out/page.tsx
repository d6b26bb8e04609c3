import { AuthCard } from '@/components/auth/auth-card';

export const dynamic = 'force-dynamic';

const MESSAGES: Record<string, string> = {
  expired: 'The sign-in took too long. Please try again.',
  access_denied: 'Sign-in was cancelled.',
  no_console_access: 'Your account has no console role. Ask an owner to grant you one.',
  invalid_response: 'The sign-in response could not be verified. Please try again.',
};

export default async function SignedOut({ searchParams }: { searchParams: Promise<{ error?: string }> }) {
  const { error } = await searchParams;
  return (
    <AuthCard tenantName="IAM console" title={error ? 'Could not sign you in' : 'You are signed out'}>
      {error ? (
        <p role="alert" className="mb-4 text-sm text-red-700">
          {MESSAGES[error] ?? 'Sign-in failed.'}
        </p>
      ) : (
        <p className="mb-4 text-sm text-slate-600">Your console session has ended.</p>
      )}
      <a href="/console/auth/login" className="inline-block rounded-md bg-indigo-600 px-3 py-2 text-sm font-semibold text-white hover:bg-indigo-500">
        Sign in to the console
      </a>
    </AuthCard>
  );
}
