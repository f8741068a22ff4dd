import { Star } from 'lucide-react';
import { Badge } from '../ui/badge';

/** The visitor's satisfaction score (1–5) as a small badge: the number reads out in full. */
export function RatingBadge({ score }: { score: number }) {
  return (
    <span className="rating-badge" title={`Rated ${score} out of 5 by the visitor`}>
      <Badge tone={score >= 4 ? 'success' : score <= 2 ? 'danger' : 'neutral'}>
        <Star aria-hidden="true" size={12} />
        {score}
        <span className="visually-hidden"> out of 5 from the visitor</span>
      </Badge>
    </span>
  );
}
