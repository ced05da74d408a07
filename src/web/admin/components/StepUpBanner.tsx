import { Banner } from '@leafygreen-ui/banner';
import { Button } from '@leafygreen-ui/button';
import { stepUpHref } from '../../ui/api.ts';
import { usePathname } from '../nav.ts';
import { useStepUpRequired } from '../stepUp.ts';

/** "Verify it's you", for whichever action just answered "Step-up required" (see stepUp.ts). */
export function StepUpBanner() {
  const required = useStepUpRequired();
  const pathname = usePathname();
  if (required === null || required.pathname !== pathname) return null;
  const { error } = required;
  return (
    <div className="step-up" data-testid="step-up-banner">
      <Banner variant="warning">
        <div className="step-up__body">
          <span>
            {error.detail ?? 'This action needs a recent sign-in.'} After verifying you come back to this
            page; then do it again.
          </span>
          <Button as="a" href={stepUpHref(error.stepUpUrl)} variant="primary" size="small">
            Verify it's you
          </Button>
        </div>
      </Banner>
    </div>
  );
}
