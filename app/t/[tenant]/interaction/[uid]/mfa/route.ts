import { submitSecondFactor } from '@/lib/oidc';
import { handleInteractionPost } from '@/lib/http/interaction-post';

export async function POST(request: Request, { params }: { params: Promise<{ tenant: string; uid: string }> }) {
  return handleInteractionPost(request, params, submitSecondFactor);
}
