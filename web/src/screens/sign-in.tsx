import { AuthFrame } from '../features/auth/auth-frame.tsx';
import { SignInForm } from '../features/auth/sign-in-form.tsx';
import { useTitle } from '../lib/use-title.ts';

export function SignIn({ ended }: { ended: boolean }) {
  useTitle('Sign in · Hatch');
  return (
    <AuthFrame title="Sign in">
      {ended && (
        <p className="auth-notice" role="status">
          Your session has ended. Sign in again to carry on where you were.
        </p>
      )}
      <SignInForm />
    </AuthFrame>
  );
}
