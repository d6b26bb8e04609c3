'use server';

import { revalidatePath } from 'next/cache';
import { redirect } from 'next/navigation';
import { z } from 'zod';
import { runConsoleAction, type ActionContext, type ActionState } from '@/lib/http/console-action';
import { addManualIoc, createFeed, deleteFeed, findManualIoc, removeManualIoc, requestFeedFetch, setFeedEnabled, setPolicy, updateFeed, type ThreatActor } from '@/lib/threats';
import { feedInput, manualIocInput, policyInput } from '@/components/threats/form-inputs';

// Feeds and global lists/policy need tenant.update on every tenant (tenantId null); a tenant's
// own entries and override need it on that tenant.
const actorOf = ({ actor, principal, meta }: ActionContext): ThreatActor => ({ type: actor.type, id: actor.id, name: principal.name, ip: meta.ip, userAgent: meta.userAgent });
const id = (fd: FormData, name: string) => z.uuid().parse(String(fd.get(name) ?? ''));
const optionalTenant = (fd: FormData) => {
  const value = String(fd.get('tenantId') ?? '');
  return value ? z.uuid().parse(value) : null;
};

export async function createFeedAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('tenant.update', null, (ctx) => createFeed(feedInput(fd), actorOf(ctx)));
  if (!state.ok) return state;
  redirect(`/console/threats/feeds/${(state.result as { id: string }).id}`);
}

export async function updateFeedAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('tenant.update', null, (ctx) => updateFeed(id(fd, 'feedId'), feedInput(fd), actorOf(ctx)));
  if (!state.ok) return state;
  revalidatePath('/console/threats', 'layout');
  return { ok: true, message: 'Feed saved.' };
}

export async function toggleFeedAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('tenant.update', null, (ctx) => setFeedEnabled(id(fd, 'feedId'), fd.get('enabled') === 'true', actorOf(ctx)));
  if (!state.ok) return state;
  revalidatePath('/console/threats', 'layout');
  return { ok: true, message: fd.get('enabled') === 'true' ? 'Feed enabled.' : 'Feed disabled.' };
}

export async function fetchFeedNowAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('tenant.update', null, (ctx) => requestFeedFetch(id(fd, 'feedId'), actorOf(ctx)));
  return state.ok ? { ok: true, message: 'Fetch queued.' } : state;
}

export async function deleteFeedAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const state = await runConsoleAction('tenant.update', null, (ctx) => deleteFeed(id(fd, 'feedId'), actorOf(ctx)));
  if (!state.ok) return state;
  redirect('/console/threats');
}

export async function addIocAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  let tenantId: string | null;
  try {
    tenantId = optionalTenant(fd);
  } catch {
    return { message: 'Choose where the entry applies.', fieldErrors: { tenantId: 'invalid tenant' } };
  }
  const state = await runConsoleAction('tenant.update', tenantId, (ctx) => addManualIoc(manualIocInput(fd), actorOf(ctx)));
  if (!state.ok) return state;
  revalidatePath('/console/threats', 'layout');
  return { ok: true, message: 'Entry added; it applies within seconds on every instance.' };
}

export async function removeIocAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  const entryId = String(fd.get('entryId') ?? '').slice(0, 64);
  const entry = z.uuid().safeParse(entryId).success ? await findManualIoc(entryId) : null;
  if (!entry) return { message: 'That entry no longer exists.' };
  const state = await runConsoleAction('tenant.update', entry.tenantId, (ctx) => removeManualIoc(entry.id, actorOf(ctx)));
  if (!state.ok) return state;
  revalidatePath('/console/threats', 'layout');
  return { ok: true, message: 'Entry removed.' };
}

export async function setPolicyAction(_prev: ActionState, fd: FormData): Promise<ActionState> {
  let tenantId: string | null;
  try {
    tenantId = optionalTenant(fd);
  } catch {
    return { message: 'Choose a scope.' };
  }
  const state = await runConsoleAction('tenant.update', tenantId, (ctx) => setPolicy(policyInput(fd), actorOf(ctx)));
  if (!state.ok) return state;
  revalidatePath('/console/threats', 'layout');
  return { ok: true, message: 'Policy saved.' };
}
