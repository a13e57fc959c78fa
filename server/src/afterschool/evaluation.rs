//! Families' evaluation of after-school activities (`AS_EVALUATION`, 多方评价机制): the scale a
//! guardian rates on, and the figures the school and the person in charge read (the mean to one
//! decimal, how many rated, how the ratings spread). Pure: ratings in, figures out; no I/O.

use std::ops::RangeInclusive;

/// The scale: 1 (poor) to 5 (excellent).
pub const RATINGS: RangeInclusive<u8> = 1..=5;

/// The mean of the ratings on the scale, rounded half up to one decimal (`None` when nobody
/// rated), and how many were counted. Anything off the scale is not counted.
pub fn average(ratings: &[u8]) -> (Option<f64>, u32) {
    let counted: Vec<u64> = ratings.iter().filter(|r| RATINGS.contains(r)).map(|&r| u64::from(r)).collect();
    let count = counted.len() as u64;
    if count == 0 {
        return (None, 0);
    }
    let sum: u64 = counted.iter().sum();
    // Tenths in integers, so 4.25 rounds to 4.3 whatever binary floating point makes of it.
    let tenths = (sum * 20 + count) / (2 * count);
    (Some(tenths as f64 / 10.0), u32::try_from(count).unwrap_or(u32::MAX))
}

/// How many gave each rating: `[ones, twos, threes, fours, fives]`. Anything off the scale is not
/// counted.
pub fn distribution(ratings: &[u8]) -> [u32; 5] {
    let mut spread = [0u32; 5];
    for &r in ratings.iter().filter(|r| RATINGS.contains(r)) {
        spread[usize::from(r - RATINGS.start())] += 1;
    }
    spread
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_evaluation_average_is_none_when_nobody_rated() {
        assert_eq!(average(&[]), (None, 0));
    }

    #[test]
    fn as_evaluation_average_is_the_mean_to_one_decimal() {
        assert_eq!(average(&[5, 4, 4]), (Some(4.3), 3));
        assert_eq!(average(&[3]), (Some(3.0), 1));
        assert_eq!(average(&[1, 2]), (Some(1.5), 2));
    }

    #[test]
    fn as_evaluation_average_rounds_a_half_tenth_up() {
        // 4.25 and 4.75 exactly.
        assert_eq!(average(&[5, 4, 4, 4]), (Some(4.3), 4));
        assert_eq!(average(&[5, 5, 5, 4]), (Some(4.8), 4));
        // 4.333… and 4.666… round to the nearer tenth.
        assert_eq!(average(&[5, 5, 3]), (Some(4.3), 3));
        assert_eq!(average(&[5, 5, 4]), (Some(4.7), 3));
    }

    #[test]
    fn as_evaluation_counts_nothing_off_the_scale() {
        assert_eq!(average(&[0, 6, 5]), (Some(5.0), 1));
        assert_eq!(distribution(&[0, 6, 5]), [0, 0, 0, 0, 1]);
        assert_eq!(average(&[0, 9]), (None, 0));
    }

    #[test]
    fn as_evaluation_distribution_counts_each_rating() {
        assert_eq!(distribution(&[]), [0; 5]);
        assert_eq!(distribution(&[1, 5, 5, 3, 5, 2]), [1, 1, 1, 0, 3]);
        let spread = distribution(&[4, 4, 2]);
        assert_eq!(spread.iter().sum::<u32>(), average(&[4, 4, 2]).1);
    }

    #[test]
    fn as_evaluation_scale_is_one_to_five_and_matches_the_distribution() {
        assert_eq!((*RATINGS.start(), *RATINGS.end()), (1, 5));
        assert_eq!(RATINGS.len(), distribution(&[]).len());
    }
}
